package io.wax.engine;

import static io.wax.engine.testkit.StopFlows.counting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import io.wax.engine.testkit.StopFlows.EpochSink;
import io.wax.engine.testkit.StopFlows.GatedSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Run#stop()}: the open epoch closes everywhere (sinks see its end), without end of
 * input (no {@code onEof}, so no final counts), and a resumed run continues after it.
 */
class GracefulStopTest {
    @Test
    void stopClosesTheOpenEpochWithoutEndOfInputAndAResumedRunContinues() throws Exception {
        for (int w : Flows.WORKERS) {
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            List<String> words = List.of("a", "b", "a", "a", "b", "c");
            GatedSource src = new GatedSource(words, 2, Integer.MAX_VALUE);
            EpochSink running = new EpochSink();
            TestingSink<KV<Long>> finals = new TestingSink<>();
            // 10 s epochs: without the stop, the first epoch would not close before the test ends.
            RunOptions opts = RunOptions.defaults().withWorkers(w).withRecovery(store);
            Run run = Runner.start(counting(src, running, finals), opts);
            src.release(3);
            awaitSize(running.items, 3);
            run.stop();
            run.await();
            assertTrue(run.stoppedAfter() >= 0);
            assertEquals(1, run.stoppedAfter(), "the first epoch was still open");
            assertEquals(List.of("a=1", "a=2", "b=1"), sorted(running.items));
            assertEquals(List.of(), finals.items(), "no end of input, so no final counts");
            assertTrue(running.epochEnds.contains(1L), "the sink saw the stop epoch end: " + running.epochEnds);

            // The resumed run reads on from the snapshotted positions with the counts kept.
            EpochSink more = new EpochSink();
            src.end();
            Runner.run(counting(src, more, finals), opts.withWorkers(4 - w));
            assertEquals(List.of("a=3", "b=2", "c=1"), sorted(more.items), "with " + w + " then " + (4 - w) + " workers");
            assertEquals(Map.of("a", List.of(3L), "b", List.of(2L), "c", List.of(1L)), Flows.byKey(finals.items()));
        }
    }

    @Test
    void aRunThatEndsBeforeTheStopJustEnds() throws Exception {
        TestingSink<Integer> out = new TestingSink<>();
        Dataflow flow = new Dataflow("ends");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2, 3))).output("out", out);
        Run run = Runner.start(flow, RunOptions.defaults().withWorkers(2));
        run.await();
        run.stop();
        assertEquals(-1, run.stoppedAfter());
        assertEquals(List.of(1, 2, 3), sorted(out.items()));
    }

    @Test
    void aWorkerStuckInUserCodeIsNamedWithItsStepAndStackAfterAnAbort() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean entered = new AtomicBoolean();
        Dataflow flow = new Dataflow("stuck");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2, 3)))
                .map("first", x -> x + 1)
                .map("spin", x -> spin(entered, release, x))
                .map("last", x -> x)
                .output("out", new TestingSink<Integer>());
        Run run = Runner.start(flow, RunOptions.defaults());
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!entered.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            run.stop(); // cannot complete: the worker never comes back to close the epoch
            long t0 = System.nanoTime();
            run.abort(Duration.ofMillis(200));
            FlowAbortedException e = assertThrows(FlowAbortedException.class, run::await);
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "await returned within 2 s of the abort");
            String m = e.getMessage();
            assertTrue(m.contains("flow 'stuck' did not stop"), m);
            assertTrue(m.contains("worker 0 is stuck in step 'stuck.spin.flat_map_batch' (user function lambda in io.wax.engine.GracefulStopTest)"), m);
            assertTrue(m.contains("at io.wax.engine.GracefulStopTest.spin(GracefulStopTest.java:"), m);
        } finally {
            release.set(true);
        }
    }

    /** Ignores interrupts, as user code stuck in a loop does. */
    private static int spin(AtomicBoolean entered, AtomicBoolean release, int x) {
        entered.set(true);
        while (!release.get()) {
            Thread.onSpinWait();
        }
        return x;
    }

    private static void awaitSize(List<?> xs, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (xs.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + xs + " after 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static <T> List<T> sorted(List<T> xs) {
        List<T> s = new ArrayList<>(xs);
        s.sort(null);
        return s;
    }
}
