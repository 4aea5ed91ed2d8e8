package io.wax.bench;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.engine.Runner;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.monitor.CountsTraffic;
import io.wax.spi.monitor.PeerTraffic;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import io.wax.transport.grpc.GrpcTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * W2 (running count per word) at 2 workers in one process, beside W2 as 2 processes of 1 worker
 * in this JVM connected by the gRPC transport over real loopback sockets, in the same run. Prints
 * the throughput of each, the payload bytes per item on the wire, and the CPU time of the
 * transport's threads (gRPC's event loops and Wax's sender threads) per process.
 * Arguments: {@code n=ITEMS runs=R warmups=K batch=1024}, and {@code only=grpc} to run the cluster alone (for a profiler).
 *
 * <p>Warm-up: by default ({@code warmups=auto}) pairs of runs go untimed until the JIT has settled,
 * that is until a pair spends less than {@value #SETTLED_PERCENT}% of its time compiling, and at
 * least 2 and at most {@value #MAX_AUTO_WARMUPS} pairs. On two cores the compiler threads share the
 * processors with the run: measured 2026-12-07, a gRPC run of 20M items spent 2.7 s compiling in
 * the first run, 1.3 s in the next two and under 0.1 s only from the sixth on, while its
 * throughput went from 9 to 22 M items/s. Two fixed warm-ups measured the JIT, not the cluster.
 */
public final class ClusterBench {
    /** Items per source batch (so about half that per frame to the other process); {@code batch=N} changes it. */
    private static int batch = 1024;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** A warm-up pair that spends less than this share of its time compiling ends the warm-up. */
    private static final int SETTLED_PERCENT = 5;
    private static final int MAX_AUTO_WARMUPS = 20;

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        long n = 10_000_000L;
        int runs = 5;
        int warmups = -1; // auto
        boolean onlyGrpc = false;
        boolean verbose = false;
        for (String a : args) {
            if (a.startsWith("n=")) {
                n = Long.parseLong(a.substring(2).replace("_", ""));
            } else if (a.startsWith("runs=")) {
                runs = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("batch=")) {
                batch = Integer.parseInt(a.substring(6));
            } else if (a.equals("verbose")) {
                verbose = true;
            } else if (a.equals("only=grpc")) {
                onlyGrpc = true; // for profiling the cluster path alone
            } else if (a.startsWith("warmups=")) {
                warmups = a.equals("warmups=auto") ? -1 : Integer.parseInt(a.substring(8));
            }
        }
        System.out.println("# " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version") + ", JVM options " + ManagementFactory.getRuntimeMXBean().getInputArguments()
                + ", " + (warmups < 0 ? "warm-ups until the JIT settles (" + SETTLED_PERCENT + "% of a pair's time compiling, 2 to "
                        + MAX_AUTO_WARMUPS + " pairs)" : warmups + " warm-ups") + " + " + runs + " runs");
        double[] local = new double[runs];
        double[] grpc = new double[runs];
        double[] wire = new double[runs];
        double[] message = new double[runs];
        double[] perFrame = new double[runs];
        double[] transportCpu = new double[runs];
        int warmed = 0; // warm-up pairs run
        for (int r = warmups == 0 ? 0 : -1; r < runs; ) {
            long pairStart = System.nanoTime();
            long pairJit = jitMs();
            long c0 = processCpu();
            long lt = onlyGrpc ? Long.MAX_VALUE : w2(n, 1, 2, null);
            long c1 = processCpu();
            long lTail = lastTail;
            double l = n / (lt / 1e9);
            Counting counting = new Counting(new GrpcTransport());
            CpuSampler cpu = new CpuSampler();
            long gc0 = gcMs();
            long jit0 = jitMs();
            Map<String, Long> jvm0 = jvmThreadsCpuMs();
            long gt = w2(n, 2, 1, counting);
            long c2 = processCpu();
            double g = n / (gt / 1e9);
            long gTail = lastTail;
            long gOut = lastToOutput;
            long transportNanos = cpu.stop();
            long workerNanos = cpu.workers;
            long pairMs = (System.nanoTime() - pairStart) / 1_000_000;
            long compiling = jitMs() - pairJit;
            String run = r >= 0 ? "run " + r : "warm-up " + (warmed + 1);
            if (r >= 0) {
                local[r] = l;
                grpc[r] = g;
                wire[r] = (double) counting.bytes.get() / n;
                message[r] = (double) counting.grpcBytes.get() / n;
                perFrame[r] = counting.frames.get();
                transportCpu[r] = transportNanos / 1e6 / 2; // per process: the two processes share this JVM
            }
            System.out.printf("# %s: in-process %.2f M items/s, gRPC %.2f M items/s, %d frames, %.2f payload bytes/item,"
                    + " %.2f gRPC message bytes/item, transport CPU %.0f ms; process CPU per item: in-process %.0f ns, gRPC %.0f ns"
                    + " (set-up and close included); cores busy: in-process %.2f, gRPC %.2f; JIT %d ms of the pair's %d ms%n", run, l / 1e6, g / 1e6, counting.frames.get(),
                    (double) counting.bytes.get() / n, (double) counting.grpcBytes.get() / n, transportNanos / 1e6,
                    (double) (c1 - c0) / n, (double) (c2 - c1) / n, (double) (c1 - c0) / lt, (double) (c2 - c1) / gt, compiling, pairMs);
            System.out.printf("#   last output to the run's end: in-process %.1f ms, gRPC %.1f ms; gRPC first item to last output %.2f M items/s;"
                    + " gRPC worker threads' CPU %.0f ns/item%n", lTail / 1e6, gTail / 1e6, n / (gOut / 1e9) / 1e6, (double) workerNanos / n);
            if (verbose) {
                Map<String, Long> jvm = jvmThreadsCpuMs();
                jvm.replaceAll((k, v) -> v - jvm0.getOrDefault(k, 0L));
                System.out.println("#   gRPC run CPU by thread group (ms): " + cpu.groups + ", GC " + (gcMs() - gc0) + " ms of pauses, JIT " + (jitMs() - jit0)
                        + " ms (compilation time); the JVM's own threads' CPU (ms, from /proc): " + jvm);
            }
            if (r >= 0) {
                r++;
            } else {
                warmed++;
                boolean settled = compiling * 100 < SETTLED_PERCENT * pairMs;
                if (warmups < 0 ? warmed >= 2 && settled || warmed >= MAX_AUTO_WARMUPS : warmed >= warmups) {
                    System.out.println("# warm after " + warmed + " warm-up pairs" + (warmups < 0 && !settled
                            ? ": the JIT had not settled by then (" + compiling + " ms compiling in the last pair)" : ""));
                    r = 0;
                }
            }
        }
        Arrays.sort(local);
        Arrays.sort(grpc);
        Arrays.sort(wire);
        Arrays.sort(message);
        Arrays.sort(perFrame);
        Arrays.sort(transportCpu);
        double lm = local[runs / 2];
        double gm = grpc[runs / 2];
        System.out.printf("RESULT wax w2-p2 items=%d items_per_s=%.0f (2 workers, one process)%n", n, lm);
        System.out.printf("RESULT wax-grpc w2-p2 items=%d items_per_s=%.0f (2 processes x 1 worker, gRPC on loopback) = %.1f%% of in-process%n",
                n, gm, 100 * gm / lm);
        System.out.printf("RESULT wax-grpc wire: %.2f payload bytes/item, %.2f bytes/item as gRPC messages (the transport's own"
                + " count: +1 tag byte and a 5-byte length prefix per frame), in %.0f frames; HTTP/2 adds about 9 bytes"
                + " per DATA frame. Bytes are per item of the run: about half the items cross to the other process%n", wire[runs / 2], message[runs / 2], perFrame[runs / 2]);
        System.out.printf("RESULT wax-grpc transport CPU: %.0f ms per process per run (%.1f ns/item), threads grpc-* and wax-transport-*%n",
                transportCpu[runs / 2], transportCpu[runs / 2] * 1e6 / n);
    }

    private static long gcMs() {
        long t = 0;
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += b.getCollectionTime();
        }
        return t;
    }

    private static long jitMs() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /**
     * The CPU time of the JVM's own threads (compilers, GC, VM thread), which ThreadMXBean does not
     * list, by name, from /proc/self/task (Linux; empty elsewhere): the compilation time the
     * CompilationMXBean gives is elapsed time, not CPU.
     */
    private static Map<String, Long> jvmThreadsCpuMs() {
        Map<String, Long> out = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return out;
        }
        long tick = 10; // ms per clock tick (USER_HZ 100)
        for (java.io.File t : tasks) {
            try {
                String comm = java.nio.file.Files.readString(t.toPath().resolve("comm")).strip();
                if (!(comm.contains("Compiler") || comm.startsWith("GC Thread") || comm.equals("VM Thread"))) {
                    continue;
                }
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick;
                out.merge(comm.replaceAll("[0-9]+", "N"), ms, Long::sum);
            } catch (IOException | RuntimeException gone) {
                // a thread that ended meanwhile
            }
        }
        return out;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One W2 run; returns the nanoseconds from the first item read to the end. */
    private static long w2(long n, int processes, int workers, Transport transport) throws IOException {
        AtomicLong outputs = new AtomicLong();
        AtomicLong lastOut = new AtomicLong(Long.MIN_VALUE);
        List<IndexSource<String>> sources = new ArrayList<>();
        IntFunction<Dataflow> build = p -> {
            IndexSource<String> src = IndexSource.of(n, processes * workers, batch, Data::word);
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

                        @Override
                        public void writeBatch(List<KV<Long>> items) {
                            seen += items.size();
                            lastOut.accumulateAndGet(System.nanoTime(), Math::max);
                        }

                        @Override
                        public void close() {
                            outputs.addAndGet(seen);
                        }
                    });
            return flow;
        };
        RunOptions o = RunOptions.defaults().withWorkers(workers);
        if (processes == 1) {
            Runner.run(build.apply(0), o);
        } else {
            Runner.runCluster(build, o, transport, addresses(processes), ClusterSpec.Security.NONE);
        }
        long end = System.nanoTime();
        if (outputs.get() != n) {
            throw new IllegalStateException("benchmark result is wrong: w2 outputs " + outputs + " != " + n);
        }
        long first = sources.stream().mapToLong(s -> s.firstNanos.get()).min().getAsLong();
        lastTail = end - lastOut.get();
        lastToOutput = lastOut.get() - first;
        return end - first;
    }

    /** Of the last w2 run: the nanoseconds from the last output to the run's end (the transport's close, say), and from the first item to the last output. */
    private static long lastTail;
    private static long lastToOutput;

    private static List<String> addresses(int n) throws IOException {
        List<String> out = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                out.add("127.0.0.1:" + s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }

    /** Counts the frames and their bytes that processes hand the transport. */
    private static final class Counting implements Transport {
        private final Transport inner;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        /** The transport's own count of what it sent (CountsTraffic): frames as gRPC messages. */
        final AtomicLong grpcBytes = new AtomicLong();

        Counting(Transport inner) {
            this.inner = inner;
        }

        @Override
        public Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException {
            Links l = inner.connect(spec, hello);
            return new Links() {
                @Override
                public int processId() {
                    return l.processId();
                }

                @Override
                public int processCount() {
                    return l.processCount();
                }

                @Override
                public Hello hello() {
                    return l.hello();
                }

                @Override
                public void start(Receiver receiver) {
                    l.start(receiver);
                }

                @Override
                public void send(int peer, byte[] frame) {
                    frames.incrementAndGet();
                    bytes.addAndGet(frame.length);
                    l.send(peer, frame);
                }

                @Override
                public boolean writable(int peer) {
                    return l.writable(peer);
                }

                @Override
                public void consumed(int peer) {
                    l.consumed(peer);
                }

                @Override
                public void finish() throws TransportException, InterruptedException {
                    l.finish(); // forgetting this once made every process see its peer end "without completing its run"
                }

                @Override
                public void close() {
                    l.close();
                    if (l instanceof CountsTraffic c) {
                        for (PeerTraffic t : c.traffic()) {
                            grpcBytes.addAndGet(t.bytesSent());
                        }
                    }
                }
            };
        }
    }

    /** Samples the CPU time of the transport's threads while they live (they end with the run). */
    private static final class CpuSampler {
        private final Map<Long, long[]> seen = new HashMap<>(); // id -> {first, last}
        private volatile boolean running = true;
        private final Map<Long, long[]> all = new HashMap<>();
        private final Map<Long, String> names = new HashMap<>();
        /** Every thread's CPU time in ms by name (digits replaced), after {@link #stop}. */
        final Map<String, Long> groups = new java.util.TreeMap<>();
        /** The CPU time of the workers' threads (wax-w*), after {@link #stop}. */
        long workers;
        private final Thread thread;

        CpuSampler() {
            sample();
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-cpu-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void sample() {
            for (ThreadInfo t : MX.getThreadInfo(MX.getAllThreadIds())) {
                if (t == null) {
                    continue;
                }
                String name = t.getThreadName();
                long cc = MX.getThreadCpuTime(t.getThreadId());
                if (cc >= 0) {
                    long[] g = all.computeIfAbsent(t.getThreadId(), k -> new long[] {cc, cc});
                    g[1] = cc;
                    names.put(t.getThreadId(), name.replaceAll("[0-9]+", "N"));
                }
                boolean transport = name.startsWith("grpc-") || name.startsWith("wax-transport");
                if (transport || name.startsWith("wax-w")) {
                    long c = MX.getThreadCpuTime(t.getThreadId());
                    if (c >= 0) {
                        seen.computeIfAbsent(t.getThreadId(), k -> new long[] {c, c, transport ? 1 : 0})[1] = c;
                    }
                }
            }
        }

        long stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            sample();
            synchronized (this) {
                for (Map.Entry<Long, long[]> e : all.entrySet()) {
                    groups.merge(names.get(e.getKey()), (e.getValue()[1] - e.getValue()[0]) / 1_000_000, Long::sum);
                }
                long sum = 0;
                for (long[] fl : seen.values()) {
                    if (fl[2] == 1) {
                        sum += fl[1] - fl[0];
                    } else {
                        workers += fl[1] - fl[0];
                    }
                }
                return sum;
            }
        }
    }
}
