package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code hog}: its map step keeps every megabyte it allocates, until the heap runs out. */
@Component(service = FlowFactory.class)
public final class Hog implements FlowFactory {
    @Override
    public String name() {
        return "hog";
    }

    @Override
    public Dataflow build(List<Object> args) {
        List<byte[]> kept = new ArrayList<>();
        Dataflow flow = new Dataflow("hog");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2)))
                .map("grow", x -> {
                    while (true) {
                        kept.add(new byte[1 << 20]);
                    }
                })
                .output("out", new StdOutSink());
        return flow;
    }
}
