package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.PartitionedSink;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SinkPartition;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
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
 * The "epoch durable" signal across the processes of a cluster (the in-JVM loopback cluster, each
 * process with its own engine and workers, sharing one store as processes share a directory):
 * {@code epochDurable(e)} comes only once every worker of every process has committed past e, and a
 * process whose workers finish first keeps following the others, so that the durable frontier, and
 * epoch-per-batch inputs that wait for it, move on to the end.
 */
class ClusterEpochDurableTest {
    private static final int PROCESSES = 2;
    private static final int WORKERS = 2;

    /** One partition that emits 0, 1, 2, ... every 2 ms up to {@code count}. */
    private record Ticker(int count) implements PartitionedSource<Integer, Integer> {
        @Override
        public List<String> listParts() {
            return List.of("only");
        }

        @Override
        public SourcePartition<Integer, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            return new SourcePartition<>() {
                int sent = resume == null ? 0 : resume;

                @Override
                public List<Integer> nextBatch() {
                    return sent == count ? null : List.of(sent++);
                }

                @Override
                public Instant nextAwake() {
                    return Instant.now().plusMillis(2);
                }

                @Override
                public Integer snapshot() {
                    return sent;
                }
            };
        }
    }

    /**
     * Records each worker's committed frontier; the second process's workers commit slowly, so that
     * the first process's own commits run ahead of the cluster's.
     */
    private static final class SlowSecondProcess implements RecoveryStore {
        final InMemoryRecoveryStore inner = new InMemoryRecoveryStore();
        final long[] frontiers = new long[PROCESSES * WORKERS];

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
            if (worker >= WORKERS) {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                inner.commit(worker, frontier, snapshots);
                frontiers[worker] = frontier;
            }
        }

        synchronized long lowest() {
            long min = Long.MAX_VALUE;
            for (long f : frontiers) {
                min = Math.min(min, f);
            }
            return min;
        }

        synchronized long highest() {
            long max = Long.MIN_VALUE;
            for (long f : frontiers) {
                max = Math.max(max, f);
            }
            return max;
        }
    }

    /** A sink of four partitions (spread over both processes) that logs "P durable E LOWEST" and "P close". */
    private record Logging(SlowSecondProcess store, List<String> log) implements PartitionedSink<Integer, Integer> {
        @Override
        public List<String> listParts() {
            return List.of("p0", "p1", "p2", "p3");
        }

        @Override
        public SinkPartition<Integer, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            return new SinkPartition<>() {
                int written;

                @Override
                public void writeBatch(List<Integer> values) {
                    written += values.size();
                }

                @Override
                public Integer snapshot() {
                    return written;
                }

                @Override
                public void epochDurable(long epoch) {
                    log.add(part + " durable " + epoch + " " + store.lowest());
                }

                @Override
                public void close() {
                    log.add(part + " close");
                }
            };
        }
    }

    @Test
    void anEpochIsDurableOnlyOnceEveryWorkerOfEveryProcessCommittedPastIt() {
        SlowSecondProcess store = new SlowSecondProcess();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        RunOptions options = RunOptions.defaults().withWorkers(WORKERS).withEpochInterval(Duration.ofMillis(10))
                .withSnapshotInterval(Duration.ofMillis(20)).withRecovery(store);
        Runner.runCluster(p -> {
            Dataflow flow = new Dataflow("durable");
            flow.input("inp", new Ticker(80)).map("kv", i -> KV.of("k" + (i % 7), i)).output("out", new Logging(store, log));
            return flow;
        }, PROCESSES, options);
        long end = store.lowest();
        assertEquals(store.highest(), end, "every worker of the cluster ends at the same frontier");
        for (String part : List.of("p0", "p1", "p2", "p3")) {
            List<String> events = log.stream().filter(l -> l.startsWith(part + " ")).toList();
            assertEquals(part + " close", events.get(events.size() - 1), events.toString());
            long last = -1;
            for (String e : events) {
                String[] f = e.split(" ");
                if (f[1].equals("durable")) {
                    long epoch = Long.parseLong(f[2]);
                    long lowest = Long.parseLong(f[3]);
                    assertTrue(epoch > last, "durable epochs rise: " + events);
                    assertTrue(lowest > epoch, part + ": epoch " + epoch + " said durable while a worker of the cluster had"
                            + " committed only up to " + lowest + ": " + events);
                    last = epoch;
                }
            }
            assertEquals(end - 1, last, part + ": the last epoch is durable before the partition closes: " + events);
            assertTrue(events.stream().filter(e -> e.contains(" durable ")).count() >= 2, part + " heard only the end: " + events);
        }
    }

    /** Collects what each worker writes. */
    private record Collect(List<Integer> out) implements DynamicSink<Integer> {
        @Override
        public StatelessSinkPartition<Integer> build(WorkerContext ctx) {
            return out::addAll;
        }
    }

    @Test
    void aProcessWhoseWorkersFinishFirstFollowsTheOthersSoEpochPerBatchInputsGoOn() {
        // No exchange: the process without the source's one partition finishes at once. Its workers
        // must commit what the running ones commit, or the epoch-per-batch input (which waits for
        // the cluster's durable frontier after every batch) would wait for ever.
        SlowSecondProcess store = new SlowSecondProcess();
        List<Integer> out = Collections.synchronizedList(new ArrayList<>());
        RunOptions options = RunOptions.defaults().withWorkers(WORKERS).withEpochInterval(Duration.ZERO).withRecovery(store);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Runner.runCluster(p -> {
            Dataflow flow = new Dataflow("follow");
            flow.input("inp", new Ticker(40)).map("same", i -> i).output("out", new Collect(out));
            return flow;
        }, PROCESSES, options));
        assertEquals(40, out.size(), out.toString());
        assertEquals(store.highest(), store.lowest(), "the finished process followed to the end");
        assertTrue(store.lowest() > 40, "an epoch per batch: " + store.lowest());
    }
}
