package io.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import io.wax.spi.engine.ClusterException;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The start frames of a cluster (the loopback transport, each process with its own engine and
 * options): processes that disagree on {@code -r}, or on the epoch they resume at (they do not see
 * the same store), each stop with one paragraph naming both values, before anything is read or
 * written: no store is begun or written to.
 */
class ClusterStartTest {
    /** A store that counts the calls that would change it. */
    private static final class Watched implements RecoveryStore {
        final InMemoryRecoveryStore inner;
        final AtomicInteger writes = new AtomicInteger();

        Watched(InMemoryRecoveryStore inner) {
            this.inner = inner;
        }

        @Override
        public long begin(long execution, int workerCount) {
            writes.incrementAndGet();
            return inner.begin(execution, workerCount);
        }

        @Override
        public long resumeEpoch() {
            return inner.resumeEpoch();
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
            writes.incrementAndGet();
            inner.commit(worker, frontier, snapshots);
        }
    }

    /** Reads from the start; nothing may reach the sink of a cluster that disagrees. */
    private static IntFunction<Dataflow> counting(List<Object> out) {
        return p -> {
            Dataflow flow = new Dataflow("start");
            flow.<String>input("inp", Flows.source(List.of("a", "b", "a", "c"), 4)).keyOn("key", w -> w)
                    .statefulMap("count", (Long n, String w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                    .output("out", (DynamicSink<KV<Long>>) ctx -> out::addAll);
            return flow;
        };
    }

    private static RunOptions options() {
        return RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofMillis(20));
    }

    /** Runs the cluster; returns each process's error, in process order. */
    private static List<ClusterException> failures(IntFunction<Dataflow> build, IntFunction<RunOptions> options) throws Exception {
        List<ClusterException> errors = new ArrayList<>();
        try (ClusterStopTest.Cluster c = new ClusterStopTest.Cluster(build, options)) {
            c.start(0);
            c.start(1);
            for (int p = 0; p < 2; p++) {
                int id = p;
                errors.add(assertThrows(ClusterException.class,
                        () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> c.await(id)), "process " + p + " fails"));
            }
        }
        return errors;
    }

    @Test
    void processesThatDisagreeOnRecoveryEachFailNamingBothAndTheStoreIsNotWritten() throws Exception {
        Watched store = new Watched(new InMemoryRecoveryStore());
        List<Object> out = Collections.synchronizedList(new ArrayList<>());
        List<ClusterException> e = failures(counting(out), p -> p == 0 ? options().withRecovery(store) : options());
        assertEquals("flow 'start' stopped: process 1 runs without recovery (-r) and process 0 with it; give every process"
                + " of the cluster the same -r", e.get(0).getMessage());
        assertEquals("flow 'start' stopped: process 0 runs with recovery (-r) and process 1 without it; give every process"
                + " of the cluster the same -r", e.get(1).getMessage());
        assertEquals(0, store.writes.get(), "the store was neither begun nor written");
        assertEquals(List.of(), out, "nothing was read before the processes agreed");
    }

    @Test
    void processesThatResumeAtDifferentEpochsEachFailNamingBothAndNeitherStoreChanges() throws Exception {
        // Process 1's store has a completed run of the flow in it; process 0's is empty: copies
        // of a store taken at different moments, say, instead of one shared directory.
        InMemoryRecoveryStore used = new InMemoryRecoveryStore();
        Runner.run(counting(new ArrayList<>()).apply(0), options().withRecovery(used));
        long resume = used.resumeEpoch();
        assertTrue(resume > 1, "the first run made progress: " + resume);
        String before = text(used.snapshots());
        Watched fresh = new Watched(new InMemoryRecoveryStore());
        Watched old = new Watched(used);
        List<Object> out = Collections.synchronizedList(new ArrayList<>());
        List<ClusterException> e = failures(counting(out), p -> options().withRecovery(p == 0 ? fresh : old));
        String tail = ": the processes do not see the same recovery store. Every process must open the same partitions:"
                + " give them one shared -r directory (a network file system or a volume every process mounts), not copies";
        assertEquals("flow 'start' stopped: process 1 resumes at epoch " + resume + " but process 0 at epoch 1" + tail,
                e.get(0).getMessage());
        assertEquals("flow 'start' stopped: process 0 resumes at epoch 1 but process 1 at epoch " + resume + tail,
                e.get(1).getMessage());
        assertEquals(0, fresh.writes.get() + old.writes.get(), "neither store was begun nor written");
        assertEquals(resume, used.resumeEpoch());
        assertEquals(before, text(used.snapshots()));
        assertEquals(List.of(), out, "nothing was read before the processes agreed");
    }

    private static String text(List<Snapshot> snapshots) {
        StringBuilder b = new StringBuilder();
        for (Snapshot s : snapshots) {
            b.append(s.stepId()).append(' ').append(s.key()).append(' ').append(s.epoch()).append(' ')
                    .append(java.util.Arrays.toString(s.state())).append('\n');
        }
        return b.toString();
    }
}
