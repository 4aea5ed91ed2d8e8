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
 * Arguments: {@code n=ITEMS runs=R warmups=K}.
 */
public final class ClusterBench {
    private static final int BATCH = 1024;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        long n = 10_000_000L;
        int runs = 5;
        int warmups = 2;
        for (String a : args) {
            if (a.startsWith("n=")) {
                n = Long.parseLong(a.substring(2).replace("_", ""));
            } else if (a.startsWith("runs=")) {
                runs = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("warmups=")) {
                warmups = Integer.parseInt(a.substring(8));
            }
        }
        System.out.println("# " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version") + ", JVM options " + ManagementFactory.getRuntimeMXBean().getInputArguments()
                + ", " + warmups + " warm-ups + " + runs + " runs");
        double[] local = new double[runs];
        double[] grpc = new double[runs];
        double[] wire = new double[runs];
        double[] message = new double[runs];
        double[] perFrame = new double[runs];
        double[] transportCpu = new double[runs];
        for (int r = -warmups; r < runs; r++) {
            double l = n / (w2(n, 1, 2, null) / 1e9);
            Counting counting = new Counting(new GrpcTransport());
            CpuSampler cpu = new CpuSampler();
            double g = n / (w2(n, 2, 1, counting) / 1e9);
            long transportNanos = cpu.stop();
            if (r >= 0) {
                local[r] = l;
                grpc[r] = g;
                wire[r] = (double) counting.bytes.get() / n;
                message[r] = (double) counting.grpcBytes.get() / n;
                perFrame[r] = counting.frames.get();
                transportCpu[r] = transportNanos / 1e6 / 2; // per process: the two processes share this JVM
            }
            System.out.printf("# run %d: in-process %.2f M items/s, gRPC %.2f M items/s, %d frames, %.2f payload bytes/item,"
                    + " %.2f gRPC message bytes/item, transport CPU %.0f ms%n", r, l / 1e6, g / 1e6, counting.frames.get(),
                    (double) counting.bytes.get() / n, (double) counting.grpcBytes.get() / n, transportNanos / 1e6);
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

    /** One W2 run; returns the nanoseconds from the first item read to the end. */
    private static long w2(long n, int processes, int workers, Transport transport) throws IOException {
        AtomicLong outputs = new AtomicLong();
        List<IndexSource<String>> sources = new ArrayList<>();
        IntFunction<Dataflow> build = p -> {
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

                        @Override
                        public void writeBatch(List<KV<Long>> items) {
                            seen += items.size();
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
        return end - sources.stream().mapToLong(s -> s.firstNanos.get()).min().getAsLong();
    }

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
                if (name.startsWith("grpc-") || name.startsWith("wax-transport")) {
                    long c = MX.getThreadCpuTime(t.getThreadId());
                    if (c >= 0) {
                        seen.computeIfAbsent(t.getThreadId(), k -> new long[] {c, c})[1] = c;
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
                long sum = 0;
                for (long[] fl : seen.values()) {
                    sum += fl[1] - fl[0];
                }
                return sum;
            }
        }
    }
}
