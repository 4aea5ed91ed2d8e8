package io.wax.engine;

import io.wax.spi.engine.RunOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.Update;
import io.wax.api.codec.CodecRegistry;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Epochs: batches are tagged with the epoch open at their input, and stateful steps snapshot per epoch. */
class EpochTest {
    private static final Duration EPOCH = Duration.ofMillis(40);

    private static RunOptions opts(int workers, InMemoryRecoveryStore store) {
        return RunOptions.defaults().withWorkers(workers).withEpochInterval(EPOCH).withRecovery(store);
    }

    @Test
    void aPauseLongerThanAnEpochMovesItemsToALaterEpoch() {
        for (int w : Flows.WORKERS) {
            Map<Integer, Long> epochOf = Collections.synchronizedMap(new TreeMap<>());
            Dataflow flow = new Dataflow("epochs");
            flow.input("inp", new TestingSource<Integer>(List.of(1, 2, TestingSource.pause(Duration.ofMillis(150)), 3), 5))
                    .inspectDebug("dbg", (step, x, epoch, worker) -> epochOf.put(x, epoch))
                    .output("out", new TestingSink<>());
            Runner.run(flow, opts(w, null));
            assertEquals(epochOf.get(1), epochOf.get(2), "items of one batch share an epoch");
            assertTrue(epochOf.get(3) >= epochOf.get(2) + 3, "150 ms of pause spans three 40 ms epochs: " + epochOf);
        }
    }

    @Test
    void statefulOutputKeepsTheEpochOfItsInput() {
        for (int w : Flows.WORKERS) {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            Dataflow flow = new Dataflow("epochs");
            KeyedStream.of(flow.<KV<Integer>>input("inp", new TestingSource<>(
                            List.of(KV.of("a", 1), TestingSource.pause(Duration.ofMillis(100)), KV.of("a", 2)))))
                    .inspectDebug("before", (step, kv, epoch, worker) -> seen.add("in " + kv.value() + " " + epoch))
                    .statefulMap("sum", (Integer s, Integer v) -> Update.of((s == null ? 0 : s) + v, (s == null ? 0 : s) + v))
                    .inspectDebug("after", (step, kv, epoch, worker) -> seen.add("out " + kv.value() + " " + epoch))
                    .output("out", new TestingSink<>());
            Runner.run(flow, opts(w, null));
            long e1 = epochIn(seen, "in 1 ");
            long e2 = epochIn(seen, "in 2 ");
            assertTrue(e2 > e1, seen.toString());
            assertEquals(e1, epochIn(seen, "out 1 "), seen.toString());
            assertEquals(e2, epochIn(seen, "out 3 "), seen.toString());
        }
    }

    private static long epochIn(List<String> seen, String prefix) {
        return seen.stream().filter(s -> s.startsWith(prefix)).mapToLong(s -> Long.parseLong(s.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new AssertionError(prefix + " missing from " + seen));
    }

    @Test
    void touchedKeysAreSnapshottedWhenTheirEpochCloses() {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        List<Long> epochs = Collections.synchronizedList(new ArrayList<>());
        Dataflow flow = new Dataflow("snap");
        KeyedStream.of(flow.<KV<Integer>>input("inp", new TestingSource<>(
                        List.of(KV.of("a", 1), KV.of("b", 1), TestingSource.pause(Duration.ofMillis(100)), KV.of("a", 5)))))
                .inspectDebug("dbg", (step, kv, epoch, worker) -> epochs.add(epoch))
                .statefulMap("sum", (Integer s, Integer v) -> Update.of((s == null ? 0 : s) + v, v))
                .output("out", new TestingSink<>());
        Runner.run(flow, opts(2, store));
        // Snapshots hold encoded state: read them back as (key, epoch, state).
        List<List<Object>> sums = store.snapshots().stream().filter(s -> s.stepId().equals("snap.sum.stateful_batch"))
                .map(s -> List.<Object>of(s.key(), s.epoch(), CodecRegistry.builtIn().decode(s.state()))).toList();
        long first = epochs.get(0);
        long last = epochs.get(2);
        assertEquals(List.of(List.of("a", first, 1), List.of("a", last, 6), List.of("b", first, 1),
                // End of input calls every key's logic once more, so every live key is snapshotted
                // in the last epoch: a resumed run sees the state as it was at the end.
                List.of("b", last, 1)), sums);
    }
}
