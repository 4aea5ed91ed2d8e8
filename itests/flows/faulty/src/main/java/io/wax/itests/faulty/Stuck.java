package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code stuck}: prints 1, then its map step spins for ever on 2, deaf to interrupts. */
@Component(service = FlowFactory.class)
public final class Stuck implements FlowFactory {
    private static volatile boolean never;

    @Override
    public String name() {
        return "stuck";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("stuck");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2), 1))
                .map("spin", Stuck::spin)
                .output("out", new StdOutSink());
        return flow;
    }

    static int spin(int x) {
        while (x == 2 && !never) {
            Thread.onSpinWait();
        }
        return x;
    }
}
