package io.wax.bench.window;

import static io.wax.bench.Data.mix;
import static io.wax.bench.Data.stream;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.window.Clock;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workload W3 of BENCHMARKS.md: events {@code (key, time)} with key {@code KEYS[stream(0x3333, i)
 * mod 1000]} and event time {@code i} ms; an event-time 1 s tumbling count per key; end of input
 * closes every window; the sink counts the results and sums the counts, which must total N.
 *
 * <p>Wax runs it at 1 and 2 workers with a partitioned source of one partition per worker; a
 * partition produces the events of the keys {@code k} with {@code k mod partitions == p}, in
 * index order, so each key's events arrive in time order and none is late (see {@link #WAIT}). The
 * hand loop does the same work single-threaded on the same data, finding each key's window by its
 * key string in a default map ({@link #handLoop}). Printed beside it: the same loop with a
 * tuned map ({@link #tunedLoop}), and the faster loop over key numbers that earlier figures were
 * measured against ({@link #arrayLoop}). Every run of each must give the same number of windows,
 * counts totalling N and the same checksum ({@link #weight}). Run with
 * {@code mvn -q -pl bundles/bench-window exec:exec} (after installing the modules), or
 * {@code java -cp ... io.wax.bench.window.W3}; {@code -Dw3.items}, {@code -Dw3.warmups},
 * {@code -Dw3.runs} and {@code -Dw3.workers=1,2} change the defaults, and {@code -Dw3.ordered=false,true} measures
 * the window operator unordered and ordered ({@code Windowing.ordered}) in turn instead of count's default.
 */
public final class W3 {
    /**
     * 1,000 in W3; {@code -Dw3.keys=N} (N <= 1000) runs the same events over fewer keys, which is
     * not W3 but shows how the number of values per key in a batch changes the engine's costs.
     */
    static final int KEY_COUNT = Integer.getInteger("w3.keys", 1000);
    static final String[] KEYS = new String[KEY_COUNT];
    /**
     * The event clock's wait ({@code -Dw3.waitMs}, default 1000). Each key's events come in time
     * order, but the watermark also advances with system time: with no wait, an event that
     * follows its key's previous one by less event time than the system time in between (a GC
     * pause, a busy shared machine) would be late, and the check would fail. One second is ten
     * times a long GC pause. The wait also sets how long windows stay open: a window closes a
     * wait's worth of event time after its end, so with 1 s windows each key keeps about
     * {@code 1 + wait/1 s} of them, and W3 measured 13.8 M items/s at 1 worker with 5 s (the
     * first setting), 15.9 M with 1 s and 17.5 M with 100 ms. (The hand loop closes a window as
     * soon as its key's next window starts, as a zero wait would.)
     */
    static final Duration WAIT = Duration.ofMillis(Long.getLong("w3.waitMs", 1000));

    static {
        for (int k = 0; k < KEY_COUNT; k++) {
            KEYS[k] = String.format(Locale.ROOT, "key-%03d", k);
        }
    }

    private W3() {
    }

    static int keyOf(long i) {
        return (int) Long.remainderUnsigned(stream(0x3333, i), KEY_COUNT);
    }

    /** What a run produced: result count, sum of counts, checksum, and the timed span. */
    record Run(long results, long sum, long checksum, long nanos, long startupNanos) {
    }

    /**
     * A result's weight in the checksum, the sum of weight times count over every result: a count
     * that went to the wrong key or window changes it, where the total of the counts stays N.
     */
    static long weight(String key, long window) {
        return key.hashCode() * 1_000_003L + window;
    }

    // ---- the hand loops ----

    /**
     * The hand loop ({@code RESULT handloop}): plain single-threaded Java doing the same work on the
     * same data, written as W2's loop is. The data are events {@code (key, time)} with string keys,
     * so it finds each key's open window and count by its key in a default {@code HashMap}, as W2's
     * loop finds each word's count. It closes a window as soon as its key's next one starts, as a
     * zero wait would.
     */
    static Run handLoop(long n) {
        return stringLoop(n, new HashMap<>());
    }

    /**
     * The hand loop with a map of at least four buckets per key (4,096 for W3's 1,000). The keys'
     * hash codes ({@code "key-000"} ... {@code "key-999"}) are so alike that in the 2,048 buckets a
     * default map grows to they fill only 616, and a lookup visits 1.46 entries, 1.07 at 4,096;
     * this loop runs about 40% faster. The fastest loop over the key strings that this repository
     * has, printed as a {@code #} line so that the ratio can be read against it too.
     */
    static Run tunedLoop(long n) {
        return stringLoop(n, new HashMap<>(4 * KEY_COUNT));
    }

    private static Run stringLoop(long n, HashMap<String, long[]> open) {
        long start = System.nanoTime();
        long results = 0;
        long sum = 0;
        long checksum = 0;
        for (long i = 0; i < n; i++) {
            String key = KEYS[keyOf(i)];
            long w = Math.floorDiv(i, 1000L);
            long[] s = open.get(key);
            if (s == null) {
                open.put(key, s = new long[] {w, 0});
            } else if (s[0] != w) {
                results++;
                sum += s[1];
                checksum += weight(key, s[0]) * s[1];
                s[0] = w;
                s[1] = 0;
            }
            s[1]++;
        }
        for (Map.Entry<String, long[]> e : open.entrySet()) {
            long[] s = e.getValue();
            results++;
            sum += s[1];
            checksum += weight(e.getKey(), s[0]) * s[1];
        }
        return new Run(results, sum, checksum, System.nanoTime() - start, 0);
    }

    /**
     * The loop the first sessions measured against: the same count, with each key's window and
     * count in two arrays indexed by the key's number. That number is the generator's, not the
     * data's (a stream processor only sees the key string), so this loop does less work than
     * BENCHMARKS.md's; it is printed as a {@code #} line to keep the earlier figures comparable.
     */
    static Run arrayLoop(long n) {
        long start = System.nanoTime();
        long[] window = new long[KEY_COUNT];
        long[] count = new long[KEY_COUNT];
        Arrays.fill(window, Long.MIN_VALUE);
        long results = 0;
        long sum = 0;
        long checksum = 0;
        for (long i = 0; i < n; i++) {
            int k = keyOf(i);
            long w = Math.floorDiv(i, 1000L);
            if (window[k] != w) {
                if (count[k] > 0) {
                    results++;
                    sum += count[k];
                    checksum += weight(KEYS[k], window[k]) * count[k];
                }
                window[k] = w;
                count[k] = 0;
            }
            count[k]++;
        }
        for (int k = 0; k < KEY_COUNT; k++) {
            if (count[k] > 0) {
                results++;
                sum += count[k];
                checksum += weight(KEYS[k], window[k]) * count[k];
            }
        }
        return new Run(results, sum, checksum, System.nanoTime() - start, 0);
    }

    // ---- Wax ----

    /** The events of keys {@code k mod parts == part}, as (key, time ms) items. */
    static final class Source implements PartitionedSource<KV<Long>, Long> {
        final long n;
        final int parts;
        final int batch;
        final AtomicLong firstIn;

        Source(long n, int parts, int batch, AtomicLong firstIn) {
            this.n = n;
            this.parts = parts;
            this.batch = batch;
            this.firstIn = firstIn;
        }

        @Override
        public List<String> listParts() {
            List<String> names = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                names.add("part-" + p);
            }
            return names;
        }

        @Override
        public SourcePartition<KV<Long>, Long> buildPart(WorkerContext ctx, String part, Long resume) {
            int p = Integer.parseInt(part.substring("part-".length()));
            return new SourcePartition<>() {
                long next = resume == null ? 0 : resume;

                @Override
                public List<KV<Long>> nextBatch() {
                    if (next >= n) {
                        return null;
                    }
                    if (next == 0) {
                        firstIn.compareAndSet(0, System.nanoTime());
                    }
                    List<KV<Long>> out = new ArrayList<>(batch);
                    long i = next;
                    while (i < n && out.size() < batch) {
                        int k = keyOf(i);
                        if (k % parts == p) {
                            out.add(new KV<>(KEYS[k], i));
                        }
                        i++;
                    }
                    next = i;
                    return out;
                }

                @Override
                public Long snapshot() {
                    return next;
                }
            };
        }
    }

    /**
     * Counts the results, sums their counts and their checksum ({@link #weight}); remembers when
     * the last batch was written.
     */
    static final class Sink implements DynamicSink<KV<WindowResult<Long>>> {
        final AtomicLong results = new AtomicLong();
        final AtomicLong sum = new AtomicLong();
        final AtomicLong checksum = new AtomicLong();
        final AtomicLong lastOut = new AtomicLong();

        @Override
        public StatelessSinkPartition<KV<WindowResult<Long>>> build(WorkerContext ctx) {
            return new StatelessSinkPartition<>() {
                long r;
                long s;
                long c;

                @Override
                public void writeBatch(List<KV<WindowResult<Long>>> items) {
                    for (int i = 0, m = items.size(); i < m; i++) {
                        KV<WindowResult<Long>> kv = items.get(i);
                        long count = kv.value().value();
                        s += count;
                        c += weight(kv.key(), kv.value().windowId()) * count;
                    }
                    r += items.size();
                    lastOut.accumulateAndGet(System.nanoTime(), Math::max);
                }

                @Override
                public void close() {
                    results.addAndGet(r);
                    sum.addAndGet(s);
                    checksum.addAndGet(c);
                }
            };
        }
    }

    /** @param ordered {@code Windowing.ordered(...)}, or null for count's default (unordered, as in Bytewax) */
    static Run wax(long n, int workers, int batch, Boolean ordered) {
        AtomicLong firstIn = new AtomicLong();
        Sink sink = new Sink();
        Dataflow flow = new Dataflow("w3");
        KeyedStream<Long> events = KeyedStream.of(flow.input("events", new Source(n, workers, batch, firstIn)));
        Windowing<Long> windowing = Windowing.of(events, Clock.<Long>eventMillis(t -> t, WAIT),
                Windower.tumbling(Duration.ofSeconds(1), Instant.EPOCH));
        if (ordered != null) {
            windowing = windowing.ordered(ordered);
        }
        windowing.count("count").down().output("out", sink);
        long start = System.nanoTime();
        Runner.run(flow, RunOptions.defaults().withWorkers(workers));
        return new Run(sink.results.get(), sink.sum.get(), sink.checksum.get(), sink.lastOut.get() - firstIn.get(),
                firstIn.get() - start);
    }

    // ---- measurement ----

    interface Workload {
        Run run();
    }

    /**
     * Runs {@code w} after warm-ups, prints its figures on lines that start with {@code prefix}
     * ({@code RESULT}, or {@code #} for a figure that is not one of BENCHMARKS.md's), and returns
     * the median items per second. Every run must give {@code expect}'s results, totalling n, and
     * its checksum.
     */
    static double measure(String prefix, String system, String workload, long n, Run expect, int warmups,
            int runs, Workload w) {
        for (int i = 0; i < warmups; i++) {
            check(system, w.run(), n, expect);
        }
        double[] rates = new double[runs];
        double[] secs = new double[runs];
        double[] cpuRates = new double[runs];
        double startup = 0;
        for (int i = 0; i < runs; i++) {
            long cpu0 = processCpuNanos();
            Run r = w.run();
            cpuRates[i] = n / ((processCpuNanos() - cpu0) / 1e9);
            check(system, r, n, expect);
            secs[i] = r.nanos() / 1e9;
            rates[i] = n / secs[i];
            startup += r.startupNanos() / 1e6 / runs;
        }
        double[] sortedSecs = secs.clone();
        double[] sortedRates = rates.clone();
        Arrays.sort(sortedSecs);
        Arrays.sort(sortedRates);
        Arrays.sort(cpuRates);
        System.out.printf(Locale.ROOT, "# %s %s: %.0f items per second of process CPU time (median; less sensitive"
                + " to other load on the machine than wall time)%n", system, workload, cpuRates[runs / 2]);
        if (system.equals("wax")) {
            System.out.printf(Locale.ROOT, "# %s %s start-up (run start to first item) %.1f ms on average%n", system,
                    workload, startup);
        }
        System.out.printf(Locale.ROOT, "%s %s %s items=%d seconds=%.4f items_per_s=%.0f min_items_per_s=%.0f"
                        + " max_items_per_s=%.0f runs=%d%n", prefix, system, workload, n, sortedSecs[runs / 2],
                sortedRates[runs / 2], sortedRates[0], sortedRates[runs - 1], runs);
        return sortedRates[runs / 2];
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static void check(String system, Run r, long n, Run expect) {
        if (r.sum() != n || r.results() != expect.results() || r.checksum() != expect.checksum()) {
            throw new IllegalStateException(system + ": " + r.results() + " window counts totalling " + r.sum()
                    + " with checksum " + r.checksum() + ", expected " + expect.results() + " totalling " + n
                    + " with checksum " + expect.checksum());
        }
    }

    public static void main(String[] args) {
        long n = Long.getLong("w3.items", 10_000_000L);
        int warmups = Integer.getInteger("w3.warmups", 2);
        int runs = Integer.getInteger("w3.runs", 5);
        int batch = Integer.getInteger("w3.batch", 1024);
        String[] workers = System.getProperty("w3.workers", "1,2").split(",");
        String[] modes = System.getProperty("w3.ordered", "default").trim().split("\\s*,\\s*");
        for (String mode : modes) {
            if (!mode.equals("default") && !mode.equals("true") && !mode.equals("false")) {
                throw new IllegalArgumentException("-Dw3.ordered takes default, true or false (or a list), got " + mode);
            }
        }
        Run expect = arrayLoop(n);
        System.out.printf(Locale.ROOT, "# W3: %d events, %d keys, 1 s tumbling windows, %d windows%n", n, KEY_COUNT,
                expect.results());
        for (String w : workers) {
            int p = Integer.parseInt(w.trim());
            String workload = "w3-p" + p;
            double hand = measure("RESULT", "handloop", workload, n, expect, warmups, runs, () -> handLoop(n));
            double tuned = measure("#", "handloop-tuned", workload, n, expect, warmups, runs, () -> tunedLoop(n));
            double array = measure("#", "handloop-array", workload, n, expect, warmups, runs, () -> arrayLoop(n));
            for (String mode : modes) {
                // W3 itself is count's default; -Dw3.ordered=false,true measures both paths of issue 13 in one JVM.
                Boolean ordered = mode.equals("default") ? null : Boolean.valueOf(mode);
                String label = ordered == null ? workload : (ordered ? "w3-ordered-p" : "w3-unordered-p") + p;
                double wax = measure("RESULT", "wax", label, n, expect, warmups, runs, () -> wax(n, p, batch, ordered));
                System.out.printf(Locale.ROOT, "# wax %s: %.1f%% of the hand loop, %.1f%% of the tuned loop, %.1f%% of"
                        + " the array loop%n", label, 100 * wax / hand, 100 * wax / tuned, 100 * wax / array);
            }
        }
    }
}
