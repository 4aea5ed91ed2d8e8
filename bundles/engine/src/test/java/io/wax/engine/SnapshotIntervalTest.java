package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.Update;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snapshot interval is separate from the epoch interval (Bytewax #353): with 10 ms epochs and
 * 40 ms snapshots, frontiers are committed only at every fourth epoch boundary, each with every
 * snapshot before it, and the last commit (end of input) covers everything.
 */
class SnapshotIntervalTest {
    /** One partition that emits a word every 3 ms, 80 times. */
    private record Ticker() implements PartitionedSource<String, Integer> {
        @Override
        public List<String> listParts() {
            return List.of("only");
        }

        @Override
        public SourcePartition<String, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            return new SourcePartition<>() {
                int sent = resume == null ? 0 : resume;

                @Override
                public List<String> nextBatch() {
                    return sent == 80 ? null : List.of("w" + (sent++ % 5));
                }

                @Override
                public Instant nextAwake() {
                    return Instant.now().plusMillis(3);
                }

                @Override
                public Integer snapshot() {
                    return sent;
                }
            };
        }
    }

    /** Records each commit's frontier and the epochs of its snapshots. */
    private static final class Recording implements RecoveryStore {
        final InMemoryRecoveryStore inner = new InMemoryRecoveryStore();
        final List<long[]> commits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public long begin(long execution, int workerCount) {
            return inner.begin(execution, workerCount);
        }

        @Override
        public Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
            return inner.load(stepId, workerCount, workerIndex);
        }

        @Override
        public Map<String, byte[]> loadAll(String stepId) {
            return inner.loadAll(stepId);
        }

        @Override
        public void commit(int worker, long frontier, List<Snapshot> snapshots) {
            long newest = snapshots.stream().mapToLong(Snapshot::epoch).max().orElse(-1);
            commits.add(new long[] {frontier, newest, worker});
            inner.commit(worker, frontier, snapshots);
        }
    }

    @Test
    void framesAreCommittedAtSnapshotBoundariesOnly() {
        for (int workers = 1; workers <= 2; workers++) {
            Recording store = new Recording();
            Dataflow flow = new Dataflow("interval");
            TestingSink<Long> out = new TestingSink<>();
            flow.input("inp", new Ticker()).keyOn("key", s -> s)
                    .statefulMap("count", (Long n, String s) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                    .map("v", kv -> kv.value()).output("out", out);
            Runner.run(flow, RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(10))
                    .withSnapshotInterval(Duration.ofMillis(40)).withRecovery(store));
            List<long[]> commits = new ArrayList<>(store.commits);
            assertTrue(commits.size() >= 2 * workers, "commits: " + commits.size());
            long last = 0;
            for (int i = 0; i < commits.size(); i++) {
                long[] c = commits.get(i);
                last = Math.max(last, c[0]);
                assertTrue(c[1] < c[0], "a snapshot of epoch " + c[1] + " went with frontier " + c[0]);
                boolean workersLast = true;
                for (int j = i + 1; j < commits.size(); j++) {
                    workersLast &= commits.get(j)[2] != c[2];
                }
                assertTrue((c[0] - 1) % 4 == 0 || workersLast,
                        "frontier " + c[0] + " is neither a snapshot boundary (1 + 4k) nor the end of input");
            }
            // The end of input resumes after everything: a new execution loads the final counts.
            long resume = store.inner.begin(-7, 1);
            assertEquals(last, resume);
            String step = store.inner.snapshots().stream().map(Snapshot::stepId).filter(id -> id.endsWith("count.stateful_batch"))
                    .findFirst().orElseThrow(() -> new AssertionError("steps: " + store.inner.snapshots().stream().map(Snapshot::stepId).distinct().toList()));
            assertEquals(5, store.inner.loadAll(step).size(), step);
        }
    }
}
