package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.RunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A zero epoch interval closes an epoch after every batch of every input, as Bytewax's
 * {@code epoch_interval=timedelta(0)} does in its recovery tests, so a test controls snapshots exactly.
 */
class EpochPerBatchTest {
    private static RunOptions perBatch(int workers) {
        return RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ZERO);
    }

    /** Items 0..4 read in batches of {@code batchSize}: the epoch each item was in, in item order. */
    private static List<Long> epochsOf(int workers, int batchSize) {
        List<long[]> seen = Collections.synchronizedList(new ArrayList<>());
        TestingSink<Integer> out = new TestingSink<>();
        Dataflow flow = new Dataflow("per_batch");
        flow.input("inp", new TestingSource<Integer>(List.of(0, 1, 2, 3, 4), batchSize))
                .inspectDebug("epochs", (step, x, epoch, worker) -> seen.add(new long[] {x, epoch}))
                .output("out", out);
        Runner.run(flow, perBatch(workers));
        List<Long> epochs = new ArrayList<>();
        seen.stream().sorted((a, b) -> Long.compare(a[0], b[0])).forEach(a -> epochs.add(a[1]));
        return epochs;
    }

    @Test
    void everyBatchIsItsOwnEpoch() {
        for (int w : new int[] {1, 3}) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), epochsOf(w, 1), "one item per batch, " + w + " worker(s)");
            assertEquals(List.of(1L, 1L, 2L, 2L, 3L), epochsOf(w, 2), "two items per batch, " + w + " worker(s)");
        }
    }

    private static Dataflow runningCount(TestingSource<Integer> src, TestingSink<KV<List<Integer>>> out) {
        Dataflow flow = new Dataflow("per_batch");
        flow.input("inp", src).keyOn("key", x -> "k")
                .statefulMap("count", (Integer n, Integer x) -> {
                    int c = n == null ? 1 : n + 1;
                    return Update.of(c, List.of(x, c));
                })
                .output("out", out);
        return flow;
    }

    /**
     * Bytewax: {@code inp = [0, 1, 2, TestingSource.ABORT(), 3, 4]}, one item per batch, zero epoch
     * interval, with recovery. The first run outputs 0, 1, 2 and aborts; the resumed run outputs
     * 3 and 4 only (no replay of 0, 1, 2), and the state (a running count) goes on from 3.
     */
    @Test
    void abortedRunResumesAfterTheLastBatch() {
        for (int w : new int[] {1, 3}) {
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            TestingSource<Integer> src = new TestingSource<>(List.of(0, 1, 2, TestingSource.ABORT, 3, 4), 1);
            TestingSink<KV<List<Integer>>> out = new TestingSink<>();
            RunOptions opts = perBatch(w).withRecovery(store);
            assertThrows(FlowAbortedException.class, () -> Runner.run(runningCount(src, out), opts));
            assertEquals(List.of(List.of(0, 1), List.of(1, 2), List.of(2, 3)), Flows.byKey(out.items()).get("k"),
                    "the first run, " + w + " worker(s)");
            out.clear();
            Runner.run(runningCount(src, out), opts);
            assertEquals(List.of(List.of(3, 4), List.of(4, 5)), Flows.byKey(out.items()).get("k"),
                    "the resumed run starts at item 3, " + w + " worker(s)");
        }
    }

    @Test
    void negativeIntervalsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.defaults().withEpochInterval(Duration.ofMillis(-1)));
        assertEquals("epoch interval must be zero (an epoch per batch) or positive, got PT-0.001S", e.getMessage());
    }
}
