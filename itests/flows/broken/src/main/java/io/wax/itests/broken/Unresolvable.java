package io.wax.itests.broken;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** Never runs: its bundle imports com.example.missing, which nothing exports. */
@Component(service = FlowFactory.class)
public final class Unresolvable implements FlowFactory {
    @Override
    public String name() {
        return "unresolvable";
    }

    @Override
    public Dataflow build(List<Object> args) {
        throw new UnsupportedOperationException("never resolved");
    }
}
