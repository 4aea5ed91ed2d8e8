package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code no_input}: a flow with no steps at all, which the run refuses at its start. */
@Component(service = FlowFactory.class)
public final class NoInput implements FlowFactory {
    @Override
    public String name() {
        return "no_input";
    }

    @Override
    public Dataflow build(List<Object> args) {
        return new Dataflow("no_input");
    }
}
