package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code stuck}: prints 1, then its map step spins for ever on 2, deaf to interrupts. It says
 * "spinning" (on the process's stdout) when it starts to: a test that stopped it between the two
 * items would find it stopping gracefully, not stuck.
 */
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
        if (x == 2) {
            // Straight to the process's stdout: in the shell System.out is Gogo's, per thread, and a
            // worker's goes nowhere the test sees. Not closed: that would close the process's stdout.
            try {
                new FileOutputStream(FileDescriptor.out).write("spinning\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        while (x == 2 && !never) {
            Thread.onSpinWait();
        }
        return x;
    }
}
