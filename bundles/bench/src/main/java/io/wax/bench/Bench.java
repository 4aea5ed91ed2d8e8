package io.wax.bench;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.LongBatch;
import io.wax.api.Longs;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Runs the workloads of BENCHMARKS.md through the engine and as hand-written single-threaded
 * loops in the same JVM, and prints one RESULT line per measurement. Arguments: workloads to run
 * ({@code w1 w2}, or {@code all}), optionally {@code n=ITEMS runs=R warmups=K}.
 */
public final class Bench {
    private static final int BATCH = 1024;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** CPU nanoseconds used by the last measured run's threads, for tuning on a busy machine. */
    private static final AtomicLong cpu = new AtomicLong();
    /** Bytes allocated by the last measured run's threads: what the collector has to clean up. */
    private static final AtomicLong alloc = new AtomicLong();
    private static int runs = 5;
    private static int warmups = 2;
    private static long nOverride = -1;

    private Bench() {
    }

    public static void main(String[] args) {
        List<String> work = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("n=")) {
                nOverride = Long.parseLong(a.substring(2).replace("_", ""));
            } else if (a.startsWith("runs=")) {
                runs = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("warmups=")) {
                warmups = Integer.parseInt(a.substring(8));
            } else {
                work.add(a);
            }
        }
        if (work.isEmpty() || work.contains("all")) {
            work = List.of("w1", "w2");
        }
        System.out.println("# " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version") + ", batch " + BATCH + ", " + warmups + " warm-ups + " + runs + " runs");
        for (String w : work) {
            switch (w) {
                case "w1" -> w1(nOverride > 0 ? nOverride : 50_000_000L);
                case "w2" -> w2(nOverride > 0 ? nOverride : 10_000_000L);
                case "w2-loopback" -> w2Loopback(nOverride > 0 ? nOverride : 10_000_000L);
                case "w2-metrics" -> w2Metrics(nOverride > 0 ? nOverride : 10_000_000L);
                case "w2-recovery" -> RecoveryBench.w2(nOverride > 0 ? nOverride : 10_000_000L);
                case "recovery-commit" -> RecoveryBench.commits(nOverride > 0 ? (int) nOverride : 200);
                case "recovery-resume" -> RecoveryBench.resume(nOverride > 0 ? nOverride : 1_000_000L);
                default -> throw new IllegalArgumentException("unknown workload " + w + "; use w1, w2, w2-loopback, w2-metrics, w2-recovery, recovery-commit, recovery-resume or all");
            }
        }
    }

    // ---- W1: map x*3, keep even, count and sum ----

    static void w1(long n) {
        long[] expect = new long[2];
        measureLoop("RESULT handloop", "w1-p1", n, () -> {
            long count = 0;
            long sum = 0;
            for (long i = 0; i < n; i++) {
                long x = i * 3;
                if ((x & 1) == 0) {
                    count++;
                    sum += x;
                }
            }
            expect[0] = count;
            expect[1] = sum;
        });
        // The boxed form first, as a comment line: map/filter on Long objects.
        measure("# boxed map/filter: wax", "w1-p1", n, () -> w1Flow(n, expect, false));
        // The form a numeric flow should take: LongBatches through Longs.map/filter.
        measure("RESULT wax", "w1-p1", n, () -> w1Flow(n, expect, true));
    }

    /** W1 through the engine: boxed (map/filter) or unboxed (Longs.map/filter on LongBatches). */
    private static long w1Flow(long n, long[] expect, boolean unboxed) {
        AtomicLong count = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        Dataflow flow = new Dataflow("w1");
        AtomicLong first;
        io.wax.api.Stream<Long> evens;
        if (unboxed) {
            IndexSource<Long> src = IndexSource.longs(n, 1, BATCH);
            first = src.firstNanos;
            io.wax.api.Stream<Long> in = flow.input("inp", src);
            evens = Longs.filter("even", Longs.map("triple", in, x -> x * 3), x -> (x & 1) == 0);
        } else {
            IndexSource<Long> src = IndexSource.of(n, 1, BATCH, i -> i);
            first = src.firstNanos;
            evens = flow.input("inp", src).map("triple", x -> x * 3).filter("even", x -> (x & 1) == 0);
        }
        evens.output("out", (DynamicSink<Long>) ctx -> new StatelessSinkPartition<>() {
            long c;
            long s;

            @Override
            public void writeBatch(List<Long> items) {
                if (items instanceof LongBatch lb) {
                    for (int i = 0, m = lb.size(); i < m; i++) {
                        s += lb.getLong(i);
                    }
                } else {
                    for (int i = 0, m = items.size(); i < m; i++) {
                        s += items.get(i);
                    }
                }
                c += items.size();
            }

            @Override
            public void close() {
                account();
                count.addAndGet(c);
                sum.addAndGet(s);
            }
        });
        long end = run(flow, 1);
        check(count.get() == expect[0] && sum.get() == expect[1], "w1 count/sum " + count + "/" + sum);
        return end - first.get();
    }

    // ---- W2: running count per word ----

    /** W2's hand loop: each word's running count, found by the word in {@code counts}; returns the check. */
    static long w2Loop(long n, HashMap<String, long[]> counts) {
        long check = 0;
        for (long i = 0; i < n; i++) {
            String w = Data.word(i);
            long[] c = counts.get(w);
            if (c == null) {
                counts.put(w, c = new long[1]);
            }
            check += ++c[0];
        }
        return check;
    }

    static void w2(long n) {
        // The check is the sum, over outputs, of the running counts: it depends on every word's
        // final count (sum over words of c(c+1)/2), and costs the sinks no lookups.
        long[] expect = new long[1];
        measureLoop("RESULT handloop", "w2-p1", n, () -> expect[0] = w2Loop(n, new HashMap<>()));
        // The same loop with a map of at least four buckets per word (65,536), printed as a # line:
        // fewer collisions make it about 25% faster, and the ratio can be read against it too.
        measureLoop("# handloop-tuned", "w2-p1", n,
                () -> check(w2Loop(n, new HashMap<>(4 * 10_000)) == expect[0], "w2 tuned loop's running counts"));
        for (int workers : new int[] {1, 2}) {
            measure("RESULT wax", "w2-p" + workers, n, () -> w2Flow(n, expect[0], 1, workers));
        }
    }

    /**
     * W2 at 2 workers in one process beside W2 as 2 processes of 1 worker in this JVM through the
     * loopback transport: every exchanged batch is then encoded and decoded by the flow's codecs,
     * as between machines, and handed over in memory. The ratio is what the codecs and frames cost.
     */
    static void w2Loopback(long n) {
        long expect = w2Loop(n, new HashMap<>());
        measure("RESULT wax", "w2-p2", n, () -> w2Flow(n, expect, 1, 2));
        measure("RESULT wax-loopback", "w2-p2", n, () -> w2Flow(n, expect, 2, 1));
    }

    /** Whether runs serve metrics and are scraped every second ({@link Scraped}). */
    private static boolean metricsOn;

    /** W2 with metrics off beside W2 with metrics on and scraped every second, at 1 and 2 workers. */
    static void w2Metrics(long n) {
        long expect = w2Loop(n, new HashMap<>());
        for (int workers : new int[] {1, 2}) {
            measure("RESULT wax", "w2-p" + workers, n, () -> w2Flow(n, expect, 1, workers));
            metricsOn = true;
            try {
                measure("RESULT wax-metrics", "w2-p" + workers, n, () -> w2Flow(n, expect, 1, workers));
            } finally {
                metricsOn = false;
            }
        }
        System.out.println("# scrapes of /metrics and /status while running: " + Scraped.SCRAPES.get());
        Scraped.close();
    }

    /** W2 through the engine as {@code processes} processes (loopback) of {@code workers} workers each. */
    private static long w2Flow(long n, long expect, int processes, int workers) {
        return w2Flow(n, expect, processes, workers, RunOptions.defaults());
    }

    /** As above, with {@code base} giving the epoch interval and recovery store. */
    static long w2Flow(long n, long expect, int processes, int workers, RunOptions base) {
        AtomicLong outputs = new AtomicLong();
        AtomicLong check = new AtomicLong();
        List<IndexSource<String>> sources = new ArrayList<>();
        java.util.function.IntFunction<Dataflow> build = p -> {
            IndexSource<String> src = IndexSource.of(n, processes * workers, BATCH, Data::word);
            synchronized (sources) {
                sources.add(src);
            }
            Dataflow flow = new Dataflow("w2");
            flow.input("inp", src).keyOn("word", w -> w)
                    .statefulMap("count", (Long c, String w) -> {
                        long k = c == null ? 1 : c + 1;
                        return Update.of(k, k);
                    })
                    .output("out", (DynamicSink<KV<Long>>) ctx -> new StatelessSinkPartition<>() {
                        long seen;
                        long sum;

                        @Override
                        public void writeBatch(List<KV<Long>> items) {
                            for (int i = 0, m = items.size(); i < m; i++) {
                                sum += items.get(i).value();
                            }
                            seen += items.size();
                        }

                        @Override
                        public void close() {
                            account();
                            outputs.addAndGet(seen);
                            check.addAndGet(sum);
                        }
                    });
            return flow;
        };
        long end;
        if (processes == 1 && metricsOn) {
            end = run(build.apply(0), workers);
        } else if (processes == 1) {
            Runner.run(build.apply(0), base.withWorkers(workers));
            end = System.nanoTime();
        } else {
            Runner.runCluster(build, processes, base.withWorkers(workers));
            end = System.nanoTime();
        }
        check(outputs.get() == n, "w2 outputs " + outputs + " != " + n);
        check(check.get() == expect, "w2 running counts differ from the hand loop's");
        return end - sources.stream().mapToLong(s -> s.firstNanos.get()).min().getAsLong();
    }

    // ---- harness ----

    /** Runs {@code flow} and returns the time its last output left (the run's end). */
    private static long run(Dataflow flow, int workers) {
        if (metricsOn) {
            return Scraped.run(flow, workers);
        }
        Runner.run(flow, RunOptions.defaults().withWorkers(workers));
        return System.nanoTime();
    }

    /** Times a hand-written loop, after warm-ups, and prints its RESULT line. */
    static void measureLoop(String label, String workload, long n, Runnable loop) {
        measure(label, workload, n, () -> {
            long c0 = MX.getCurrentThreadCpuTime();
            long a0 = allocated();
            long t0 = System.nanoTime();
            loop.run();
            long t = System.nanoTime() - t0;
            cpu.addAndGet(MX.getCurrentThreadCpuTime() - c0);
            alloc.addAndGet(allocated() - a0);
            return t;
        });
    }

    /**
     * Runs {@code body}, which returns the nanoseconds it measured (for flows: from the first
     * item entering to the last output leaving), after warm-ups, and prints the RESULT line.
     */
    static void measure(String label, String workload, long n, LongSupplier body) {
        measureAlternating(new String[] {label}, workload, n, body);
    }

    /**
     * Like {@link #measure}, for bodies to compare: their runs alternate (warm-ups too), so that a
     * machine whose load drifts during the measurement slows each of them alike; one line each.
     */
    static void measureAlternating(String[] labels, String workload, long n, LongSupplier... bodies) {
        int k = bodies.length;
        double[][] secs = new double[k][runs];
        double[][] cpuSecs = new double[k][runs];
        double[][] bytes = new double[k][runs];
        for (int r = -warmups; r < runs; r++) {
            for (int b = 0; b < k; b++) {
                cpu.set(0);
                alloc.set(0);
                long nanos = bodies[b].getAsLong();
                if (r >= 0) {
                    secs[b][r] = nanos / 1e9;
                    cpuSecs[b][r] = cpu.get() / 1e9;
                    bytes[b][r] = alloc.get();
                }
            }
        }
        for (int b = 0; b < k; b++) {
            print(labels[b], workload, n, secs[b], cpuSecs[b], bytes[b]);
        }
    }

    private static void print(String label, String workload, long n, double[] secs, double[] cpuSecs, double[] bytes) {
        Arrays.sort(cpuSecs);
        Arrays.sort(bytes);
        System.out.printf("# cpu %s %s: %.2f ns/item, %.1f bytes allocated/item (medians over the run's threads)%n",
                label.substring(label.lastIndexOf(' ') + 1), workload, cpuSecs[runs / 2] * 1e9 / n, bytes[runs / 2] / n);
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double median = sorted[runs / 2];
        System.out.printf("%s %s items=%d seconds=%.3f items_per_s=%.0f min_items_per_s=%.0f max_items_per_s=%.0f runs=%d%n",
                label, workload, n, median, n / median, n / sorted[runs - 1], n / sorted[0], runs);
    }

    /** Runs per measurement, warm-ups included. */
    static int totalRuns() {
        return warmups + runs;
    }

    /** Adds the calling worker thread's CPU time and allocation, over its whole life, to the run's. */
    private static void account() {
        cpu.addAndGet(MX.getCurrentThreadCpuTime());
        alloc.addAndGet(allocated());
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) MX).getCurrentThreadAllocatedBytes();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark result is wrong: " + what);
        }
    }
}
