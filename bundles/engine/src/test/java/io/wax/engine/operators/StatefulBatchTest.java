package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.assertKeyedOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.plan.PerValue;
import io.wax.engine.testkit.Flows;
import java.time.Instant;
import java.util.*;
import org.junit.jupiter.api.Test;

/** stateful_batch: the core stateful operator; values per key arrive in order, in batches. */
class StatefulBatchTest {
    /** Emits each batch's values joined, so the test sees batching and order per key. */
    static final class Seen implements StatefulBatchLogic<Integer, List<Integer>, List<Integer>> {
        final List<Integer> all = new ArrayList<>();

        @Override
        public void onBatch(List<Integer> values, Emitter<List<Integer>> out) {
            all.addAll(values);
        }

        @Override
        public void onEof(Emitter<List<Integer>> out) {
            out.emit(List.copyOf(all));
        }

        @Override
        public List<Integer> snapshot() {
            return List.copyOf(all);
        }
    }

    @Test
    void keySeesItsValuesInOrder() {
        List<KV<Integer>> in = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            in.add(KV.of("k" + (i % 4), i));
        }
        List<KV<List<Integer>>> expected = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            List<Integer> vs = new ArrayList<>();
            for (int i = k; i < 60; i += 4) {
                vs.add(i);
            }
            expected.add(KV.of("k" + k, vs));
        }
        // One partition, so the input order is the order every key must see.
        assertKeyedOutputs(expected, flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(in, 7)))
                .statefulBatch("seen", (List<Integer> resume) -> new Seen()));
    }

    /** Emits the size of each call's list of values. */
    static final class CallSizes implements StatefulBatchLogic<Integer, Integer, Integer> {
        @Override
        public void onBatch(List<Integer> values, Emitter<Integer> out) {
            out.emit(values.size());
        }

        @Override
        public Integer snapshot() {
            return 0;
        }
    }

    /** A builder that lets the engine call its logics once per value. */
    record PerValueBuilder() implements StatefulBatchBuilder<Integer, Integer, Integer>, PerValue {
        @Override
        public StatefulBatchLogic<Integer, Integer, Integer> build(Integer resume) {
            return new CallSizes();
        }
    }

    @Test
    void aKeyGetsItsValuesOfABatchInOneCall() {
        // Batches of 7 from one partition, 2 keys: every batch holds several values of each key.
        List<KV<Integer>> in = new ArrayList<>();
        for (int i = 0; i < 28; i++) {
            in.add(KV.of("k" + (i % 2), i));
        }
        List<KV<Integer>> got = Flows.outputs(1, flow -> KeyedStream.of(flow.<KV<Integer>>input("inp",
                new io.wax.api.testing.TestingSource<>(in, 7))).statefulBatch("sizes", (Integer r) -> new CallSizes()));
        assertEquals(28, got.stream().mapToInt(KV::value).sum());
        assertTrue(got.stream().allMatch(kv -> kv.value() > 1), "calls: " + got);
    }

    @Test
    void aPerValueLogicGetsOneValuePerCallWhenKeysAreManyForABatch() {
        // Batches of 8. Once the step knows 8 keys, batches over 4 keys (2 values each) go value by value.
        List<KV<Integer>> in = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            in.add(KV.of("a" + i, i));
        }
        for (int i = 0; i < 16; i++) {
            in.add(KV.of("k" + (i % 4), i));
        }
        List<KV<Integer>> got = Flows.outputs(1, flow -> KeyedStream.of(flow.<KV<Integer>>input("inp",
                new io.wax.api.testing.TestingSource<>(in, 8))).statefulBatch("sizes", new PerValueBuilder()));
        List<Integer> calls = got.stream().filter(kv -> kv.key().startsWith("k")).map(KV::value).toList();
        assertEquals(16, calls.size(), "calls: " + got);
        assertTrue(calls.stream().allMatch(size -> size == 1), "calls: " + got);
        // A step that knows one key gets its batches grouped: many values per key are cheaper in one call.
        List<KV<Integer>> one = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            one.add(KV.of("one", i));
        }
        assertEquals(List.of(KV.of("one", 8), KV.of("one", 8)), Flows.outputs(1, flow -> KeyedStream.of(
                flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(one, 8)))
                .statefulBatch("sizes", new PerValueBuilder())));
    }

    /** Counts a key's values and discards its state at every second one. */
    static final class Pairs implements StatefulBatchLogic<Integer, Integer, Integer> {
        int n;

        @Override
        public void onBatch(List<Integer> values, Emitter<Integer> out) {
            for (Integer v : values) {
                out.emit(++n);
            }
            if (n >= 2) {
                out.discardState();
            }
        }

        @Override
        public Integer snapshot() {
            return n;
        }
    }

    record PairsBuilder() implements StatefulBatchBuilder<Integer, Integer, Integer>, PerValue {
        @Override
        public StatefulBatchLogic<Integer, Integer, Integer> build(Integer resume) {
            return new Pairs();
        }
    }

    @Test
    void aPerValueKeyThatDiscardsItsStateStartsAgainWithinTheSameBatch() {
        // A first batch of 9 keys, then one with key k three times among six others: value by value.
        List<KV<Integer>> in = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            in.add(KV.of("w" + i, i));
        }
        for (int i = 0; i < 9; i++) {
            in.add(KV.of(i % 3 == 0 ? "k" : "x" + i, i));
        }
        List<KV<Integer>> got = Flows.outputs(1, flow -> KeyedStream.of(flow.<KV<Integer>>input("inp",
                new io.wax.api.testing.TestingSource<>(in, 9))).statefulBatch("pairs", new PairsBuilder()));
        assertEquals(List.of(1, 2, 1), got.stream().filter(kv -> kv.key().equals("k")).map(KV::value).toList());
    }

    /** Asks for a timer at one fixed instant (long past) until notified three times. */
    static final class SameInstant implements StatefulBatchLogic<Integer, Integer, Integer> {
        static final Instant AT = Instant.ofEpochMilli(1);
        int notified;

        @Override
        public void onBatch(List<Integer> values, Emitter<Integer> out) {
        }

        @Override
        public void onNotify(Emitter<Integer> out) {
            notified++;
        }

        @Override
        public Instant notifyAt() {
            return notified < 3 ? AT : null;
        }

        @Override
        public void onEof(Emitter<Integer> out) {
            out.emit(notified);
        }

        @Override
        public Integer snapshot() {
            return notified;
        }
    }

    @Test
    void aTimerAskedForAgainWithTheSameInstantFiresAgain() {
        // The engine skips re-setting a timer whose Instant it already holds; a fired timer must not count as held.
        List<Object> in = List.of(KV.of("k", 1), io.wax.api.testing.TestingSource.pause(java.time.Duration.ofMillis(300)));
        List<KV<Integer>> got = Flows.outputs(1, flow -> KeyedStream.of(flow.<KV<Integer>>input("inp",
                new io.wax.api.testing.TestingSource<>(in, 1))).statefulBatch("timer", (Integer r) -> new SameInstant()));
        assertEquals(List.of(KV.of("k", 3)), got);
    }

    @Test
    void eachKeyLivesOnOneWorker() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Map<String, Set<Integer>> workers = Collections.synchronizedMap(new HashMap<>());
            List<KV<Integer>> in = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                in.add(KV.of("k" + (i % 10), i));
            }
            Flows.outputs(w, flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", source(in, 3)))
                    .statefulBatch("seen", (List<Integer> resume) -> new Seen())
                    .inspectDebug("where", (step, kv, epoch, worker) ->
                            workers.computeIfAbsent(kv.key(), k -> Collections.synchronizedSet(new HashSet<>())).add(worker)));
            assertEquals(10, workers.size());
            for (Set<Integer> ws : workers.values()) {
                assertEquals(1, ws.size(), "a key's output came from several workers: " + workers);
            }
        }
    }
}
