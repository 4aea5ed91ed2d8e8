package io.wax.bench.window;

import io.wax.api.Dataflow;
import io.wax.api.Emitter;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.engine.RunOptions;
import io.wax.engine.Runner;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's floor under W3, for reading profiles: the same source into a sink, and into a
 * {@code stateful_batch} step whose logic only counts (one output per key at end of input). The
 * gap between these and W3 is what windowing costs. {@code java -cp ... io.wax.bench.window.Floor}.
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

    static double run(long n, int workers, boolean stateful) {
        Dataflow flow = new Dataflow("floor");
        AtomicLong first = new AtomicLong();
        KeyedStream<Long> events = KeyedStream.of(flow.input("events", new W3.Source(n, workers, 1024, first)));
        CountSink sink = new CountSink();
        if (stateful) {
            events.<Long, Long>statefulBatch("count", resume -> new Count()).output("out", sink);
        } else {
            events.output("out", sink);
        }
        long start = System.nanoTime();
        Runner.run(flow, RunOptions.defaults().withWorkers(workers));
        return n / ((System.nanoTime() - start) / 1e9);
    }

    public static void main(String[] args) {
        long n = Long.getLong("w3.items", 10_000_000L);
        for (int w : new int[] {1, 2}) {
            for (boolean stateful : new boolean[] {false, true}) {
                for (int i = 0; i < 2; i++) {
                    run(n, w, stateful);
                }
                double[] r = new double[3];
                for (int i = 0; i < r.length; i++) {
                    r[i] = run(n, w, stateful);
                }
                java.util.Arrays.sort(r);
                System.out.printf(Locale.ROOT, "FLOOR %s p%d items_per_s=%.0f%n", stateful ? "source->stateful_batch"
                        : "source->sink", w, r[1]);
            }
        }
    }
}
