package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.assertKeyedOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.engine.testkit.Flows;
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

    @Test
    void eachKeyLivesOnOneWorker() {
        for (int w : Flows.WORKERS) {
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
