package io.wax.engine;

import io.wax.spi.engine.RunOptions;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.FlowAbortedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.api.testing.TestingSink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user exception stops every worker promptly and is reported with where it happened. */
class ErrorReportingTest {
    /** Every worker produces forever; only worker 1 meets the poison item. */
    private static final DynamicSource<Integer> ENDLESS = ctx -> new StatelessSourcePartition<>() {
        int n;

        @Override
        public List<Integer> nextBatch() {
            n++;
            return List.of(ctx.workerIndex() == 1 && n == 50 ? -1 : n);
        }
    };

    private static int checked(int x) {
        if (x < 0) {
            throw new IllegalArgumentException("negative: " + x);
        }
        return x;
    }

    @Test
    void reportsFlowStepWorkerEpochAndUserStackFirst() {
        Dataflow flow = new Dataflow("boom");
        flow.input("inp", ENDLESS).map("check", ErrorReportingTest::checked).output("out", new TestingSink<>());
        FlowFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThrows(FlowFailedException.class, () -> Runner.run(flow, RunOptions.defaults().withWorkers(3))));

        assertEquals("boom", e.flowId());
        assertEquals("boom.check.flat_map_batch", e.stepId());
        assertEquals(1, e.worker());
        assertEquals(1, e.epoch());
        assertTrue(e.userFunction().contains("ErrorReportingTest"), e.userFunction());
        assertTrue(e.getMessage().contains("'boom.check.flat_map_batch'") && e.getMessage().contains("worker 1")
                && e.getMessage().contains("negative: -1"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        StackTraceElement top = e.getStackTrace()[0];
        assertEquals("checked", top.getMethodName(), "the user's frame comes first");
        for (StackTraceElement f : e.getStackTrace()) {
            assertTrue(!f.getClassName().startsWith("io.wax.engine.internal"), "engine frames are trimmed: " + f);
        }
        assertNoWorkerThreadsLeft("wax-boom-worker-");
    }

    @Test
    void failureInStatefulLogicNamesTheStep() {
        Dataflow flow = new Dataflow("boom2");
        flow.input("inp", new io.wax.api.testing.TestingSource<String>(List.of("a", "b")))
                .keyOn("key", s -> s)
                .foldFinal("fold", () -> "", (String acc, String v) -> {
                    throw new IllegalStateException("fold broke on " + v);
                })
                .output("out", new TestingSink<>());
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(flow, RunOptions.defaults().withWorkers(2)));
        assertEquals("boom2.fold.stateful_batch", e.stepId());
        assertTrue(e.getMessage().contains("fold broke on"), e.getMessage());
        assertNoWorkerThreadsLeft("wax-boom2-worker-");
    }

    @Test
    void sourceThatFailsToOpenNamesItsStep() {
        Dataflow flow = new Dataflow("boom3");
        flow.input("inp", (io.wax.api.io.PartitionedSource<Integer, Integer>) new io.wax.api.io.PartitionedSource<Integer, Integer>() {
            @Override
            public List<String> listParts() {
                throw new IllegalStateException("broker unreachable");
            }

            @Override
            public io.wax.api.io.SourcePartition<Integer, Integer> buildPart(io.wax.api.io.WorkerContext ctx, String part, Integer r) {
                throw new AssertionError("never built");
            }
        }).output("out", new TestingSink<>());
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(flow, RunOptions.defaults().withWorkers(2)));
        assertEquals("boom3.inp", e.stepId());
        assertTrue(e.getMessage().contains("broker unreachable"), e.getMessage());
        assertNoWorkerThreadsLeft("wax-boom3-worker-");
    }

    @Test
    void interruptingTheCallerStopsTheRun() throws Exception {
        Dataflow flow = new Dataflow("endless");
        flow.input("inp", ENDLESS).filter("none", x -> false).output("out", new TestingSink<>());
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                started.countDown();
                Runner.run(flow, RunOptions.defaults().withWorkers(2));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        started.await();
        caller.interrupt();
        caller.join(20_000);
        assertTrue(!caller.isAlive(), "the run stopped after its caller was interrupted");
        assertTrue(thrown.get() instanceof FlowAbortedException, String.valueOf(thrown.get()));
        assertNoWorkerThreadsLeft("wax-endless-worker-");
    }

    static void assertNoWorkerThreadsLeft(String prefix) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(!(t.getName().startsWith(prefix) && t.isAlive()), "left behind: " + t.getName());
        }
    }
}
