package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timing as Bytewax has it: a partition's {@code next_awake} is honoured, and a fired ABORT stays fired. */
class TimingTest {
    /** 2.5 ms: not a whole number of milliseconds, so truncating to ms would poll early. */
    private static final Duration STEP = Duration.ofNanos(2_500_000);
    private static final int ITEMS = 20;

    /**
     * Bytewax's {@code test_next_awake_in_partition}: {@code next_batch} asserts that it is never
     * called before the time {@code next_awake} named, which moves on by a step after each item.
     */
    private static final class Awake {
        final List<String> early = Collections.synchronizedList(new ArrayList<>());
        Instant nextAwake = Instant.now();
        int next;

        List<Integer> nextBatch(String who) {
            Instant now = Instant.now();
            if (now.isBefore(nextAwake)) {
                early.add(who + " item " + next + " polled " + Duration.between(now, nextAwake).toNanos() + " ns early");
            }
            if (next == ITEMS) {
                return null;
            }
            nextAwake = now.plus(STEP);
            return List.of(next++);
        }
    }

    private static final class AwakeSource implements PartitionedSource<Integer, Integer> {
        final List<Awake> all = Collections.synchronizedList(new ArrayList<>());
        final int parts;

        AwakeSource(int parts) {
            this.parts = parts;
        }

        @Override
        public List<String> listParts() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                names.add("p" + i);
            }
            return names;
        }

        @Override
        public SourcePartition<Integer, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            Awake a = new Awake();
            all.add(a);
            return new SourcePartition<>() {
                @Override
                public List<Integer> nextBatch() {
                    return a.nextBatch(part);
                }

                @Override
                public Instant nextAwake() {
                    return a.nextAwake;
                }

                @Override
                public Integer snapshot() {
                    return a.next;
                }
            };
        }
    }

    @Test
    void nextAwakeIsNeverPolledEarly() {
        for (int w : new int[] {1, 3}) {
            AwakeSource src = new AwakeSource(3);
            TestingSink<Integer> out = new TestingSink<>();
            Dataflow flow = new Dataflow("awake");
            flow.input("inp", src).output("out", out);
            Runner.run(flow, Flows.options(w));
            assertEquals(3 * ITEMS, out.items().size());
            for (Awake a : src.all) {
                assertEquals(List.of(), a.early, "with " + w + " worker(s)");
            }
        }
    }

    @Test
    void nextAwakeOfADynamicSourceIsNeverPolledEarly() {
        for (int w : new int[] {1, 3}) {
            List<Awake> all = Collections.synchronizedList(new ArrayList<>());
            DynamicSource<Integer> src = ctx -> {
                Awake a = new Awake();
                all.add(a);
                return new StatelessSourcePartition<>() {
                    @Override
                    public List<Integer> nextBatch() {
                        return a.nextBatch("worker " + ctx.workerIndex());
                    }

                    @Override
                    public Instant nextAwake() {
                        return a.nextAwake;
                    }
                };
            };
            TestingSink<Integer> out = new TestingSink<>();
            Dataflow flow = new Dataflow("awake");
            flow.input("inp", src).output("out", out);
            Runner.run(flow, Flows.options(w));
            assertEquals(w * ITEMS, out.items().size());
            for (Awake a : all) {
                assertEquals(List.of(), a.early, "with " + w + " worker(s)");
            }
        }
    }

    /**
     * Bytewax's TestingSource: {@code [0, 1, 2, ABORT(), 3, 4]} with batch size 2 gives
     * {@code [0, 1]}, {@code [2]}, then aborts; resumed from position 2 the ABORT has fired, so it
     * is skipped and does not end a batch: {@code [2, 3]}, then {@code [4]}.
     */
    @Test
    void aFiredAbortDoesNotEndABatchAfterResume() throws Exception {
        TestingSource<Integer> src = new TestingSource<>(List.of(0, 1, 2, TestingSource.ABORT, 3, 4), 2);
        SourcePartition<Integer, Integer> first = src.buildPart(null, "iterable", null);
        assertEquals(List.of(0, 1), first.nextBatch());
        assertEquals(List.of(2), first.nextBatch());
        assertThrows(TestingSource.AbortExecution.class, first::nextBatch);

        SourcePartition<Integer, Integer> resumed = src.buildPart(null, "iterable", 2);
        assertEquals(List.of(2, 3), resumed.nextBatch());
        assertEquals(List.of(4), resumed.nextBatch());
        assertNull(resumed.nextBatch());
        assertEquals(6, resumed.snapshot());
    }

    /** The same through the engine: an epoch per batch shows the batches a resumed run reads. */
    @Test
    void aResumedRunReadsPastAFiredAbort() {
        for (int w : new int[] {1, 3}) {
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            TestingSource<Integer> src = new TestingSource<>(List.of(0, 1, 2, TestingSource.ABORT, 3, 4, 5), 2);
            List<long[]> seen = Collections.synchronizedList(new ArrayList<>());
            var opts = io.wax.spi.engine.RunOptions.defaults().withWorkers(w).withEpochInterval(Duration.ZERO)
                    .withRecovery(store);
            Dataflow flow = new Dataflow("abort");
            flow.input("inp", src).inspectDebug("seen", (s, x, epoch, worker) -> seen.add(new long[] {x, epoch}))
                    .output("out", new TestingSink<>());
            assertThrows(io.wax.spi.engine.FlowAbortedException.class, () -> Runner.run(flow, opts));
            seen.clear();
            Runner.run(flow, opts);
            // Resumed at item 3 (after the batch [2]): [3, 4] is one batch, one epoch, then [5].
            assertEquals(3, seen.size(), "with " + w + " worker(s)");
            seen.sort((a, b) -> Long.compare(a[0], b[0]));
            assertEquals(List.of(3L, 4L, 5L), seen.stream().map(a -> a[0]).toList());
            assertEquals(seen.get(0)[1], seen.get(1)[1], "3 and 4 are one batch");
            assertTrue(seen.get(2)[1] > seen.get(1)[1], "5 is the next batch");
        }
    }
}
