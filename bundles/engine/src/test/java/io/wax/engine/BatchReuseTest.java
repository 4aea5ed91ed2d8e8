package io.wax.engine;

import static io.wax.engine.testkit.Flows.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.engine.testkit.Flows;
import io.wax.engine.testkit.Flows.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The engine refills the keyed batches it hands to a keyed step once that step has read them.
 * A batch that user code was given, or that more than one step reads, must never be refilled:
 * here sinks and batch functions keep the very batch objects they were given, and those must
 * still hold what was emitted when the run is over.
 */
class BatchReuseTest {
    private static final int N = 2_000;

    /** The words of the items: few, so that stateful steps see every key many times. */
    private static List<String> words() {
        List<String> ws = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ws.add("w" + (i * 7 % 13));
        }
        return ws;
    }

    /** A sink that keeps every batch object it is given, as it was given. */
    private static final class Keeping implements DynamicSink<KV<String>> {
        final List<List<KV<String>>> batches = Collections.synchronizedList(new ArrayList<>());

        @Override
        public StatelessSinkPartition<KV<String>> build(io.wax.api.io.WorkerContext ctx) {
            return batches::add;
        }

        /** Every item of every batch kept, read now. */
        List<KV<String>> items() {
            List<KV<String>> all = new ArrayList<>();
            synchronized (batches) {
                batches.forEach(all::addAll);
            }
            return all;
        }
    }

    private static List<KV<String>> keyed() {
        List<KV<String>> expected = new ArrayList<>();
        for (String w : words()) {
            expected.add(KV.of(w, w));
        }
        return expected;
    }

    /**
     * Runs in every topology the flow {@code build} makes (given the keyed words and a sink that
     * keeps its batches) and asserts that the kept batches hold {@code expected} after the run.
     */
    private static void check(List<KV<String>> expected, BiFunction<KeyedStream<String>, Keeping, Void> build) {
        for (Topology t : Flows.TOPOLOGIES) {
            List<Keeping> kept = Collections.synchronizedList(new ArrayList<>());
            Flows.run(t, p -> {
                Keeping k = new Keeping();
                kept.add(k);
                Dataflow flow = new Dataflow("reuse");
                build.apply(flow.<String>input("inp", Flows.source(words(), 3)).keyOn("key", w -> w), k);
                return flow;
            });
            List<KV<String>> got = new ArrayList<>();
            kept.forEach(k -> got.addAll(k.items()));
            assertEquals(multiset(expected), multiset(got), "kept batches with " + t);
        }
    }

    /**
     * key_on's batches go to a stateful step and to a sink at once: the stateful step, done with
     * a batch, must not have it refilled while the sink still holds it.
     */
    @Test
    void aBatchReadByAStatefulStepAndASinkIsNeverRefilled() {
        List<Long> counted = Collections.synchronizedList(new ArrayList<>());
        check(keyed(), (words, sink) -> {
            words.output("kept", sink);
            words.statefulMap("count", (Long n, String w) -> {
                long c = n == null ? 1 : n + 1;
                return Update.of(c, c);
            }).output("counts", (DynamicSink<KV<Long>>) ctx -> items -> items.forEach(kv -> counted.add(kv.value())));
            return null;
        });
        assertEquals(Flows.TOPOLOGIES.size() * N, counted.size());
    }

    /**
     * A batch function, the one reader of key_on's batches, keeps each batch it is given and passes
     * it on to a stateful step, which would hand it back for refilling once read: what the function
     * kept must stay as it was.
     */
    @Test
    void aBatchAUserFunctionWasGivenIsNeverRefilled() {
        List<List<KV<String>>> seen = Collections.synchronizedList(new ArrayList<>());
        check(keyed(), (words, sink) -> {
            KeyedStream<String> passed = KeyedStream.of(words.flatMapBatch("keep", batch -> {
                seen.add(batch);
                return batch;
            }));
            passed.statefulMap("again", (String s, String w) -> Update.of(w, w)).output("kept", sink);
            return null;
        });
        List<KV<String>> all = new ArrayList<>();
        synchronized (seen) {
            seen.forEach(all::addAll);
        }
        List<KV<String>> expected = new ArrayList<>();
        for (int i = 0; i < Flows.TOPOLOGIES.size(); i++) {
            expected.addAll(keyed());
        }
        assertEquals(multiset(expected), multiset(all), "the batches the function kept");
    }
}
