package io.wax.api.window;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.Clock;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowOut;
import io.wax.api.window.WindowResult;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Shared pieces of the window tests. Event times are whole minutes and the event clock waits 30 s,
 * so the system time that passes during a test (far less than 30 s) never changes which items are
 * late or when a window closes: results are a function of the input only.
 */
final class Win {
    private Win() {
    }

    static final long MINUTE = 60_000L;

    /** A value with an event time in minutes. */
    record Ev(long minute, int value) {
        @Override
        public String toString() {
            return minute + ":" + value;
        }
    }

    /** Ev's timestamps, waiting 30 s of system time. */
    static final Clock<Ev, Long> CLOCK = Clock.eventMillis(e -> e.minute() * MINUTE, Duration.ofSeconds(30));

    static Instant min(long m) {
        return Instant.ofEpochMilli(m * MINUTE);
    }

    static Duration mins(long m) {
        return Duration.ofMinutes(m);
    }

    /** KV items of key {@code key}: pairs of (minute, value). */
    static List<KV<Ev>> evs(String key, long... minuteValue) {
        List<KV<Ev>> out = new ArrayList<>();
        for (int i = 0; i < minuteValue.length; i += 2) {
            out.add(KV.of(key, new Ev(minuteValue[i], (int) minuteValue[i + 1])));
        }
        return out;
    }

    /** The three streams of a run, collected. */
    record Out<V, W>(List<KV<WindowResult<W>>> down, List<KV<LateItem<V>>> late, List<KV<WindowMeta>> meta) {
        /** Each key's results in order. */
        Map<String, List<WindowResult<W>>> downByKey() {
            return byKey(down);
        }

        Map<String, List<LateItem<V>>> lateByKey() {
            return byKey(late);
        }

        Map<String, List<WindowMeta>> metaByKey() {
            return byKey(meta);
        }
    }

    static <T> Map<String, List<T>> byKey(List<KV<T>> items) {
        Map<String, List<T>> m = new LinkedHashMap<>();
        for (KV<T> kv : items) {
            m.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value());
        }
        return new java.util.TreeMap<>(m);
    }

    /**
     * Runs {@code op} over {@code items} (one partition per list, read {@code batch} at a time) in
     * {@code topology}: in a cluster, each process builds its own flow and sinks, and their items
     * are put together.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <V, W> Out<V, W> run(Map<String, List<?>> parts, int batch, Flows.Topology topology,
                                Function<KeyedStream<V>, WindowOut<V, W>> op) {
        List<TestingSink<?>[]> sinks = new ArrayList<>();
        List<Dataflow> flows = new ArrayList<>();
        for (int p = 0; p < topology.processes(); p++) {
            TestingSink<KV<WindowResult<W>>> down = new TestingSink<>();
            TestingSink<KV<LateItem<V>>> late = new TestingSink<>();
            TestingSink<KV<WindowMeta>> meta = new TestingSink<>();
            Dataflow flow = new Dataflow("w");
            // The tests' own item type, for the runs whose items cross processes.
            flow.codecs().register(Ev.class);
            KeyedStream<V> in = KeyedStream.of(flow.<KV<V>>input("inp", new TestingSource<KV<V>>(parts, batch)));
            WindowOut<V, W> out = op.apply(in);
            out.down().output("down", down);
            out.late().output("late", late);
            out.meta().output("meta", meta);
            flows.add(flow);
            sinks.add(new TestingSink<?>[] {down, late, meta});
        }
        // Through the kit, so that its transport (loopback, or the one -Dwax.testkit.transport names) carries clusters.
        Flows.run(topology, flows::get);
        List<KV<WindowResult<W>>> down = new ArrayList<>();
        List<KV<LateItem<V>>> late = new ArrayList<>();
        List<KV<WindowMeta>> meta = new ArrayList<>();
        for (TestingSink<?>[] s : sinks) {
            down.addAll((List) s[0].items());
            late.addAll((List) s[1].items());
            meta.addAll((List) s[2].items());
        }
        return new Out<>(down, late, meta);
    }

    static <V, W> Out<V, W> run(Map<String, List<?>> parts, int batch, int workers,
                                Function<KeyedStream<V>, WindowOut<V, W>> op) {
        return run(parts, batch, new Flows.Topology(1, workers), op);
    }

    static <V, W> Out<V, W> run(List<?> items, Flows.Topology topology, Function<KeyedStream<V>, WindowOut<V, W>> op) {
        return run(Map.of("p", items), 2, topology, op);
    }

    static <V, W> Out<V, W> run(List<?> items, int workers, Function<KeyedStream<V>, WindowOut<V, W>> op) {
        return run(Map.of("p", items), 2, workers, op);
    }

    static <W> WindowResult<W> res(long window, W value) {
        return new WindowResult<>(window, value, 0);
    }

    @SafeVarargs
    static <T> List<T> concat(List<? extends T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<? extends T> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
