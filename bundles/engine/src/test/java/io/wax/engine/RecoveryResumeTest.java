package io.wax.engine;

import io.wax.spi.engine.RunOptions;
import io.wax.spi.engine.FlowAbortedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A run that ends (EOF marker) or aborts (ABORT marker) resumes from its snapshots in the store. */
class RecoveryResumeTest {
    private static Dataflow runningCount(TestingSource<String> src, TestingSink<KV<Long>> out) {
        Dataflow flow = new Dataflow("resume");
        flow.input("inp", src).keyOn("key", w -> w)
                .statefulMap("count", (Long n, String w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                .output("out", out);
        return flow;
    }

    @Test
    void eofMarkerRunsContinueWithTheirState() {
        for (int w : Flows.WORKERS) {
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            TestingSource<String> src = new TestingSource<>(List.of("a", "b", "a", TestingSource.EOF, "a", "b"), 2);
            TestingSink<KV<Long>> out = new TestingSink<>();
            RunOptions opts = RunOptions.defaults().withWorkers(w).withEpochInterval(Duration.ofMillis(20)).withRecovery(store);
            Runner.run(runningCount(src, out), opts);
            assertEquals(Map.of("a", List.of(1L, 2L), "b", List.of(1L)), Flows.byKey(out.items()));
            out.clear();
            Runner.run(runningCount(src, out), opts.withWorkers(4 - w));
            assertEquals(Map.of("a", List.of(3L), "b", List.of(2L)), Flows.byKey(out.items()),
                    "the second run (with " + (4 - w) + " workers) resumes after the EOF with the counts kept");
        }
    }

    /**
     * Reads "a" four times with an abort (once) before the last one. Before the third item it
     * waits until the store holds a committed snapshot of the count after two items, so the abort
     * always happens after a snapshot, whatever the machine's load.
     */
    private static final class GatedSource implements PartitionedSource<String, Integer> {
        private final InMemoryRecoveryStore store;
        private final AtomicBoolean aborted = new AtomicBoolean();

        GatedSource(InMemoryRecoveryStore store) {
            this.store = store;
        }

        @Override
        public List<String> listParts() {
            return List.of("p");
        }

        @Override
        public SourcePartition<String, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            return new SourcePartition<>() {
                int next = resume == null ? 0 : resume;

                final long deadline = System.nanoTime() + 20_000_000_000L;

                @Override
                public List<String> nextBatch() {
                    if (next == 2 && !snapshotAfterTwoCommitted()) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("no snapshot after two items was committed");
                        }
                        return List.of();
                    }
                    if (next == 3 && aborted.compareAndSet(false, true)) {
                        throw new TestingSource.AbortExecution("item 3");
                    }
                    if (next >= 4) {
                        return null;
                    }
                    next++;
                    return List.of("a");
                }

                @Override
                public java.time.Instant nextAwake() {
                    return next == 2 ? java.time.Instant.now().plusMillis(2) : null;
                }

                @Override
                public Integer snapshot() {
                    return next;
                }
            };
        }

        private boolean snapshotAfterTwoCommitted() {
            return store.snapshots().stream().anyMatch(s -> s.stepId().equals("resume.count.stateful_batch")
                    && Long.valueOf(2L).equals(io.wax.api.codec.CodecRegistry.builtIn().decode(s.state()))
                    && store.lowestFrontier() > s.epoch());
        }
    }

    @Test
    void abortedRunReplaysFromTheLastSnapshot() {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        GatedSource src = new GatedSource(store);
        TestingSink<KV<Long>> out = new TestingSink<>();
        RunOptions opts = RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofMillis(20)).withRecovery(store);
        assertThrows(FlowAbortedException.class, () -> Runner.run(flowOver(src, out), opts));
        // The abort stops every worker at once, so the third count may or may not have reached the sink.
        List<Long> first = Flows.byKey(out.items()).get("a");
        assertEquals(List.of(1L, 2L, 3L).subList(0, first.size()), first, "the first run counts from 1");
        assertTrue(first.size() >= 2, "the first run counted the two items before its snapshot: " + first);
        out.clear();
        Runner.run(flowOver(src, out), opts);
        // The resumed run starts from a snapshot taken after the second item at the earliest, so
        // its counts go on from there (3, or 4 if the third item's epoch closed too) and end at 4.
        List<Long> counts = Flows.byKey(out.items()).get("a");
        assertEquals(4L, counts.get(counts.size() - 1), out.items().toString());
        assertEquals(counts.get(0) + counts.size() - 1, 4L, "counts are consecutive: " + counts);
        assertTrue(counts.get(0) >= 3L, "resumed from the committed snapshot: " + counts);
    }

    private static Dataflow flowOver(GatedSource src, TestingSink<KV<Long>> out) {
        Dataflow flow = new Dataflow("resume");
        flow.input("inp", src).keyOn("key", w -> w)
                .statefulMap("count", (Long n, String w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                .output("out", out);
        return flow;
    }
}
