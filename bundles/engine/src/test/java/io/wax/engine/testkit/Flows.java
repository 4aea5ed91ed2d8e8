package io.wax.engine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Stream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.RunOptions;
import io.wax.engine.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Shared helpers of the operator tests: build a flow around a step, run it with 1, 2 and 3
 * workers, and compare the outputs as multisets (worker counts change the order items are
 * interleaved in, never which items come out).
 */
public final class Flows {
    private Flows() {
    }

    /** The worker counts every operator test runs with. */
    public static final int[] WORKERS = {1, 2, 3};

    public static void run(Dataflow flow, int workers) {
        Runner.run(flow, RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(50)));
    }

    /** A source that deals {@code items} round-robin over {@code parts} partitions, read in batches of 2. */
    public static <T> TestingSource<T> source(List<?> items, int parts) {
        Map<String, List<Object>> m = new TreeMap<>();
        for (int p = 0; p < parts; p++) {
            m.put("part-" + p, new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            m.get("part-" + (i % parts)).add(items.get(i));
        }
        return new TestingSource<>(m, 2);
    }

    /**
     * Builds a flow with {@code build} (which gets the flow and returns the stream to capture),
     * runs it with {@code workers}, and returns what reached the sink.
     */
    public static <T> List<T> outputs(int workers, Function<Dataflow, Stream<T>> build) {
        Dataflow flow = new Dataflow("test");
        TestingSink<T> sink = new TestingSink<>();
        build.apply(flow).output("out", sink);
        run(flow, workers);
        return sink.items();
    }

    /** Runs with 1, 2 and 3 workers, asserting each time that the output multiset is {@code expected}. */
    public static <T> void assertOutputs(List<T> expected, Function<Dataflow, Stream<T>> build) {
        for (int w : WORKERS) {
            assertEquals(multiset(expected), multiset(outputs(w, build)), "with " + w + " worker(s)");
        }
    }

    /**
     * Like {@link #assertOutputs} for keyed outputs, and also asserts each key's values come out
     * in the expected order (stateful steps see a key's values in order).
     */
    public static <V> void assertKeyedOutputs(List<KV<V>> expected, Function<Dataflow, Stream<KV<V>>> build) {
        for (int w : WORKERS) {
            List<KV<V>> got = outputs(w, build);
            assertEquals(multiset(expected), multiset(got), "with " + w + " worker(s)");
            assertEquals(byKey(expected), byKey(got), "per-key order with " + w + " worker(s)");
        }
    }

    public static <V> Map<String, List<V>> byKey(List<KV<V>> items) {
        Map<String, List<V>> m = new LinkedHashMap<>();
        for (KV<V> kv : items) {
            m.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value());
        }
        return new TreeMap<>(m);
    }

    /** Items counted by value: equal multisets have equal counts. */
    public static <T> Map<T, Integer> multiset(List<T> items) {
        Map<T, Integer> m = new HashMap<>();
        for (T t : items) {
            m.merge(t, 1, Integer::sum);
        }
        return m;
    }

    /** 0, 1, ..., n-1. */
    public static List<Integer> range(int n) {
        List<Integer> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(i);
        }
        return xs;
    }
}
