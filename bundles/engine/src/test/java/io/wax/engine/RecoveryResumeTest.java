package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @Test
    void abortedRunReplaysFromTheLastSnapshot() {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        TestingSource<String> src = new TestingSource<>(
                List.of("a", "a", TestingSource.pause(Duration.ofMillis(100)), "a", TestingSource.ABORT, "a"), 1);
        TestingSink<KV<Long>> out = new TestingSink<>();
        RunOptions opts = RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofMillis(20)).withRecovery(store);
        assertThrows(FlowAbortedException.class, () -> Runner.run(runningCount(src, out), opts));
        out.clear();
        Runner.run(runningCount(src, out), opts);
        // The first two items' epoch closed before the pause ended, so the resumed run replays from
        // the third item at the latest, and the counts go on from the snapshot: never back to 1.
        List<Long> counts = Flows.byKey(out.items()).get("a");
        assertEquals(4L, counts.get(counts.size() - 1), out.items().toString());
        assertEquals(counts.get(0) + counts.size() - 1, 4L, "counts are consecutive: " + counts);
        assertEquals(true, counts.get(0) >= 3L, "resumed from a snapshot after the first two items: " + counts);
    }
}
