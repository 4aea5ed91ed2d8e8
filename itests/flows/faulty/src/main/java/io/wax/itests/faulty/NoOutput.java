package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code no_output}: an input and a map, but no output or inspect step, which the run refuses at its start. */
@Component(service = FlowFactory.class)
public final class NoOutput implements FlowFactory {
    @Override
    public String name() {
        return "no_output";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("no_output");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2))).map("double", (Integer x) -> x * 2);
        return flow;
    }
}
