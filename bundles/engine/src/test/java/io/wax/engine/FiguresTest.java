package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.ReportsLag;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.monitor.PartitionLag;
import io.wax.spi.monitor.RunEvents;
import io.wax.spi.monitor.StepFigures;
import io.wax.spi.monitor.WorkerFigures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The figures a run keeps as it goes, what {@code /metrics} and {@code /status} show. */
class FiguresTest {
    private static Map<String, long[]> byStep(Run run) {
        Map<String, long[]> out = new TreeMap<>();
        for (StepFigures s : run.figures().steps()) {
            long[] sum = out.computeIfAbsent(s.step(), k -> new long[3]);
            sum[0] += s.itemsIn();
            sum[1] += s.itemsOut();
            sum[2] += Arrays.stream(s.batchTimes()).sum();
            assertEquals(s.batches(), Arrays.stream(s.batchTimes()).sum(), "every batch is in one bucket of " + s.step());
        }
        return out;
    }

    @Test
    void countsItemsInAndOutOfEveryStepOnEveryWorker() throws Exception {
        List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        TestingSink<Integer> sink = new TestingSink<>();
        Dataflow flow = new Dataflow("figures");
        flow.input("inp", new TestingSource<Integer>(items)).map("times3", x -> x * 3).filter("even", x -> x % 2 == 0)
                .map("plus1", x -> x + 1).output("out", sink);
        Run run = Runner.start(flow, RunOptions.defaults().withWorkers(2));
        run.await();
        Map<String, long[]> steps = byStep(run);
        assertEquals(List.of("figures.even.flat_map_batch", "figures.inp", "figures.out", "figures.plus1.flat_map_batch",
                "figures.times3.flat_map_batch"), List.copyOf(steps.keySet()));
        assertEquals(1000, steps.get("figures.inp")[0]);
        assertEquals(1000, steps.get("figures.inp")[1]);
        assertEquals(1000, steps.get("figures.times3.flat_map_batch")[0]);
        assertEquals(1000, steps.get("figures.times3.flat_map_batch")[1]);
        assertEquals(1000, steps.get("figures.even.flat_map_batch")[0]);
        assertEquals(500, steps.get("figures.even.flat_map_batch")[1]);
        assertEquals(500, steps.get("figures.plus1.flat_map_batch")[0]);
        assertEquals(500, steps.get("figures.plus1.flat_map_batch")[1]);
        assertEquals(500, steps.get("figures.out")[0]);
        assertEquals(500, sink.items().size());
        assertTrue(steps.get("figures.times3.flat_map_batch")[2] > 0, "the chain's head counts its batches");
        assertEquals(2, run.figures().workers().size());
        for (WorkerFigures w : run.figures().workers()) {
            assertEquals(-1, w.epoch(), "every input has ended");
            assertEquals(0, w.inboxDepth());
        }
    }

    /** One partition that reports a lag of the items it has yet to send, and sends one per poll. */
    private record Lagging(int n, CountDownLatch halfway, CountDownLatch release) implements PartitionedSource<Integer, Integer> {
        @Override
        public List<String> listParts() {
            return List.of("p0");
        }

        @Override
        public SourcePartition<Integer, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            return new Part();
        }

        final class Part implements SourcePartition<Integer, Integer>, ReportsLag {
            private volatile int sent;

            @Override
            public List<Integer> nextBatch() throws InterruptedException {
                if (sent == n / 2) {
                    halfway.countDown();
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new AssertionError("not released");
                    }
                }
                return sent == n ? null : List.of(sent++);
            }

            @Override
            public Integer snapshot() {
                return sent;
            }

            @Override
            public long lag() {
                return n - sent;
            }
        }
    }

    @Test
    void readsTheLagOfPartitionsThatReportIt() throws Exception {
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Dataflow flow = new Dataflow("lag");
        flow.input("inp", new Lagging(10, halfway, release)).output("out", new TestingSink<>());
        Run run = Runner.start(flow, RunOptions.defaults());
        assertTrue(halfway.await(10, TimeUnit.SECONDS));
        List<PartitionLag> lags = run.figures().lags();
        release.countDown();
        run.await();
        assertEquals(List.of(new PartitionLag("lag.inp", "p0", 0, 5)), lags);
        assertEquals(List.of(), run.figures().lags(), "an ended partition has no lag");
    }

    @Test
    void tellsEventsAboutEpochClosesAndSnapshots() throws Exception {
        ConcurrentLinkedQueue<Long> closed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> snapshotBytes = new ConcurrentLinkedQueue<>();
        RunEvents events = new RunEvents() {
            @Override
            public void epochClosed(String flow, int worker, long epoch, long openedMillis, long closedMillis) {
                closed.add(epoch);
            }

            @Override
            public void snapshotWritten(String flow, int worker, long frontier, int snapshots, long bytes, long start, long nanos) {
                snapshotBytes.add(bytes);
            }
        };
        Dataflow flow = new Dataflow("events");
        flow.input("inp", new Lagging(4, new CountDownLatch(1), new CountDownLatch(0))).output("out", new TestingSink<>());
        Run run = Runner.start(flow, RunOptions.defaults().withRecovery(new InMemoryRecoveryStore())
                .withEpochInterval(Duration.ofMillis(50)).withEvents(events));
        run.await();
        assertTrue(closed.contains(1L), "epoch 1 closed: " + closed);
        assertEquals(new ArrayList<>(closed).size(), closed.stream().distinct().count(), "each epoch once: " + closed);
        WorkerFigures w = run.figures().workers().get(0);
        assertTrue(w.snapshots() > 0);
        assertEquals(w.snapshots(), snapshotBytes.size());
        assertEquals(w.snapshotBytes(), snapshotBytes.stream().mapToLong(Long::longValue).sum());
        assertTrue(w.snapshotBytes() > 0, "the partition's position was snapshotted");
    }
}
