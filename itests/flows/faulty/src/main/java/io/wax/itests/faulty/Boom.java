package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code boom}: its map step throws on the item 2. */
@Component(service = FlowFactory.class)
public final class Boom implements FlowFactory {
    @Override
    public String name() {
        return "boom";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("boom");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2, 3)))
                .map("explode", Boom::explode)
                .output("out", new StdOutSink());
        return flow;
    }

    static int explode(int x) {
        if (x == 2) {
            throw new IllegalArgumentException("two is not allowed");
        }
        return x;
    }
}
