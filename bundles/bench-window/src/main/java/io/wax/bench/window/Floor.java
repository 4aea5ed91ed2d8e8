package io.wax.bench.window;

import io.wax.api.Dataflow;
import io.wax.api.Emitter;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.plan.PerValue;
import io.wax.api.window.WindowResult;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's floor under W3, for reading profiles: the same source into a sink; into a
 * {@code stateful_batch} step whose logic only counts (one output per key at end of input); and
 * into a {@code stateful_batch} step that does W3's tumbling count by hand, with two longs per
 * key and none of the window operator's generality (no late items, timers, lateness or meta), but
 * emitting the same results; and that count again, called once per value as the window operators'
 * logics are. The last is a ceiling for any window operator on this engine; the gap between it
 * and W3 is what the general operator costs. {@code java -cp ...
 * io.wax.bench.window.Floor}.
 */
public final class Floor {
    private Floor() {
    }

    static final class CountSink implements DynamicSink<Object> {
        final AtomicLong n = new AtomicLong();

        @Override
        public StatelessSinkPartition<Object> build(WorkerContext ctx) {
            return items -> n.addAndGet(items.size());
        }
    }

    static final class Count implements StatefulBatchLogic<Long, Long, Long> {
        long n;

        @Override
        public void onBatch(List<Long> values, Emitter<Long> out) {
            n += values.size();
        }

        @Override
        public void onEof(Emitter<Long> out) {
            out.emit(n);
        }

        @Override
        public Long snapshot() {
            return n;
        }
    }

    /** W3's count for in-order events, by hand: the open window and its count. */
    static final class TumblingCount implements StatefulBatchLogic<Long, WindowResult<Long>, Long> {
        long window = Long.MIN_VALUE;
        long count;

        @Override
        public void onBatch(List<Long> values, Emitter<WindowResult<Long>> out) {
            for (int i = 0, n = values.size(); i < n; i++) {
                long w = Math.floorDiv(values.get(i), 1000L);
                if (w != window) {
                    onEof(out);
                    window = w;
                }
                count++;
            }
        }

        @Override
        public void onEof(Emitter<WindowResult<Long>> out) {
            if (count > 0) {
                out.emit(new WindowResult<>(window, count, 0));
                count = 0;
            }
        }

        @Override
        public Long snapshot() {
            return count;
        }
    }

    /**
     * Builds {@link TumblingCount}s that the engine may call once per value, as it calls the
     * window operators' logics: the ceiling for them.
     */
    record PerValueTumblingCount() implements StatefulBatchBuilder<Long, WindowResult<Long>, Long>, PerValue {
        @Override
        public StatefulBatchLogic<Long, WindowResult<Long>, Long> build(Long resume) {
            return new TumblingCount();
        }
    }

    enum Shape { SINK, COUNT, TUMBLING_BY_HAND, TUMBLING_BY_HAND_PER_VALUE }

    static double run(long n, int workers, Shape shape) {
        Dataflow flow = new Dataflow("floor");
        AtomicLong first = new AtomicLong();
        KeyedStream<Long> events = KeyedStream.of(flow.input("events", new W3.Source(n, workers, 1024, first)));
        CountSink sink = new CountSink();
        W3.Sink results = new W3.Sink();
        switch (shape) {
            case SINK -> events.output("out", sink);
            case COUNT -> events.<Long, Long>statefulBatch("count", resume -> new Count()).output("out", sink);
            case TUMBLING_BY_HAND -> events.<WindowResult<Long>, Long>statefulBatch("count",
                    resume -> new TumblingCount()).output("out", results);
            case TUMBLING_BY_HAND_PER_VALUE -> events.statefulBatch("count", new PerValueTumblingCount())
                    .output("out", results);
        }
        long start = System.nanoTime();
        Runner.run(flow, RunOptions.defaults().withWorkers(workers));
        double rate = n / ((System.nanoTime() - start) / 1e9);
        if ((shape == Shape.TUMBLING_BY_HAND || shape == Shape.TUMBLING_BY_HAND_PER_VALUE) && results.sum.get() != n) {
            throw new IllegalStateException("the window counts total " + results.sum.get() + ", expected " + n);
        }
        return rate;
    }

    public static void main(String[] args) {
        long n = Long.getLong("w3.items", 10_000_000L);
        for (int w : new int[] {1, 2}) {
            for (Shape shape : Shape.values()) {
                for (int i = 0; i < 2; i++) {
                    run(n, w, shape);
                }
                double[] r = new double[3];
                for (int i = 0; i < r.length; i++) {
                    r[i] = run(n, w, shape);
                }
                java.util.Arrays.sort(r);
                String name = switch (shape) {
                    case SINK -> "source->sink";
                    case COUNT -> "source->stateful_batch";
                    case TUMBLING_BY_HAND -> "source->stateful_batch(tumbling count by hand)";
                    case TUMBLING_BY_HAND_PER_VALUE -> "source->stateful_batch(tumbling count by hand, per value)";
                };
                System.out.printf(Locale.ROOT, "FLOOR %s p%d items_per_s=%.0f%n", name, w, r[1]);
            }
        }
    }
}
