package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.io.PartitionedSink;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SinkPartition;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.spi.engine.FlowFailedException;
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
 * The engine's "epoch durable" signal (Flink's notifyCheckpointComplete): a sink or source hears
 * {@code epochDurable(e)} only once every worker has committed a frontier past {@code e}, with
 * rising epochs, after that epoch's {@code epochEnd}, and at the end of a run before it closes; a
 * failed run closes its sinks without saying that its uncommitted epochs are durable.
 */
class EpochDurableTest {
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

    /** Each commit's frontier per worker, so that a sink can ask what was durable when it was told. */
    private static final class Recording implements RecoveryStore {
        final InMemoryRecoveryStore inner = new InMemoryRecoveryStore();
        final long[] frontiers;

        Recording(int workers) {
            frontiers = new long[workers];
        }

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
        public synchronized void commit(int worker, long frontier, List<Snapshot> snapshots) {
            inner.commit(worker, frontier, snapshots);
            frontiers[worker] = frontier;
        }

        synchronized long lowest() {
            long min = Long.MAX_VALUE;
            for (long f : frontiers) {
                min = Math.min(min, f);
            }
            return min;
        }
    }

    /** A sink of two partitions that logs "end E", "durable E (lowest frontier F)" and "close". */
    private record Logging(Recording store, List<String> log) implements PartitionedSink<Integer, Integer> {
        @Override
        public List<String> listParts() {
            return List.of("p0", "p1");
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
                public void epochEnd(long epoch) {
                    log.add(part + " end " + epoch);
                }

                @Override
                public Integer snapshot() {
                    return written;
                }

                @Override
                public void epochDurable(long epoch) {
                    log.add(part + " durable " + epoch + " " + (store == null ? -1 : store.lowest()));
                }

                @Override
                public void close() {
                    log.add(part + " close");
                }
            };
        }
    }

    private static Dataflow flow(int count, Logging sink, int failAt) {
        Dataflow flow = new Dataflow("durable");
        flow.input("inp", new Ticker(count)).map("check", i -> {
            if (i == failAt) {
                throw new IllegalStateException("item " + i);
            }
            return i;
        }).map("kv", i -> KV.of("k" + (i % 7), i)).output("out", sink);
        return flow;
    }

    private static RunOptions options(int workers, Recording store) {
        RunOptions o = RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(10));
        return store == null ? o : o.withSnapshotInterval(Duration.ofMillis(20)).withRecovery(store);
    }

    private static List<String> of(List<String> log, String part) {
        return log.stream().filter(l -> l.startsWith(part + " ")).map(l -> l.substring(part.length() + 1)).toList();
    }

    @Test
    void everyDurableEpochIsCommittedByEveryWorkerAndTheLastComesBeforeClose() {
        for (int workers = 1; workers <= 3; workers++) {
            Recording store = new Recording(workers);
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Runner.run(flow(60, new Logging(store, log), -1), options(workers, store));
            long finalFrontier = store.lowest();
            for (String part : List.of("p0", "p1")) {
                List<String> events = of(log, part);
                assertEquals("close", events.get(events.size() - 1), part + ": " + events);
                long lastDurable = -1;
                long lastEnd = -1;
                for (String e : events) {
                    String[] f = e.split(" ");
                    if (f[0].equals("end")) {
                        lastEnd = Long.parseLong(f[1]);
                    } else if (f[0].equals("durable")) {
                        long epoch = Long.parseLong(f[1]);
                        long lowest = Long.parseLong(f[2]);
                        assertTrue(epoch > lastDurable, part + ": durable epochs must rise: " + events);
                        assertTrue(lowest > epoch, part + ": epoch " + epoch + " said durable while the lowest frontier was "
                                + lowest + ": " + events);
                        assertTrue(lastEnd >= epoch, part + ": durable " + epoch + " before its epochEnd: " + events);
                        lastDurable = epoch;
                    }
                }
                assertEquals(finalFrontier - 1, lastDurable, part + " at " + workers + " workers: " + events);
                assertTrue(events.stream().filter(e -> e.startsWith("durable")).count() >= 2,
                        part + ": the signal came only at the end: " + events);
            }
        }
    }

    @Test
    void withoutRecoveryNothingIsSaidDurable() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Runner.run(flow(30, new Logging(null, log), -1), options(2, null));
        assertFalse(log.stream().anyMatch(l -> l.contains("durable")), log.toString());
        assertEquals(2, log.stream().filter(l -> l.endsWith("close")).count(), log.toString());
    }

    @Test
    void aFailedRunClosesItsSinksWithoutSayingTheFailedEpochIsDurable() {
        Recording store = new Recording(2);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        assertThrows(FlowFailedException.class, () -> Runner.run(flow(60, new Logging(store, log), 40), options(2, store)));
        long committed = store.lowest();
        for (String part : List.of("p0", "p1")) {
            List<String> events = of(log, part);
            assertEquals("close", events.get(events.size() - 1), part + ": " + events);
            for (String e : events) {
                String[] f = e.split(" ");
                if (f[0].equals("durable")) {
                    assertTrue(Long.parseLong(f[1]) < committed, part + ": " + e + " but only " + committed + " committed");
                }
            }
        }
    }
}
