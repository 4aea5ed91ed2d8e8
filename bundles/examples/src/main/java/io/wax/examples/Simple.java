package io.wax.examples;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code simple}: 0, 1, 2 plus one, printed: 1, 2, 3. */
@Component(service = FlowFactory.class)
public final class Simple implements FlowFactory {
    @Override
    public String name() {
        return "simple";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("simple");
        flow.input("inp", new TestingSource<Integer>(List.of(0, 1, 2)))
                .map("add_one", x -> x + 1)
                .output("out", new StdOutSink());
        return flow;
    }
}
