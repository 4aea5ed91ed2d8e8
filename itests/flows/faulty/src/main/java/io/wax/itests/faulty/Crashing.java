package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** A flow component whose constructor throws: SCR cannot create it. */
@Component(service = FlowFactory.class)
public final class Crashing implements FlowFactory {
    @Activate
    public Crashing() {
        throw new IllegalStateException("crashing on purpose");
    }

    @Override
    public String name() {
        return "crashing";
    }

    @Override
    public Dataflow build(List<Object> args) {
        throw new UnsupportedOperationException("never created");
    }
}
