package io.wax.bench;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.StableHash;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.engine.Runner;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.transport.ClusterSpec;
import io.wax.transport.grpc.GrpcTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 15's backpressure promise: a fast source in one process and a slow sink in the other stay
 * within a 256 MB heap. Two processes of one worker in this JVM (so run it with {@code -Xmx256m}:
 * both share that heap, stricter than 256 MB each) connected by the gRPC transport over real
 * loopback sockets. Process 0's worker reads 100-character strings as fast as it is let; every item
 * is keyed to the worker of process 1, whose sink sleeps after each batch. Without end-to-end
 * backpressure the items would pile up in process 1 (or in process 0's queue) and the heap would
 * fill within seconds. Every {@code every} seconds it prints the items read and written, the lead
 * of the source over the sink and the heap; at the end a RESULT line with the maxima. Exits
 * non-zero if the run fails or an item went missing.
 * Arguments: {@code seconds=180 every=5 sinkSleepMs=5}.
 */
public final class SlowPeer {
    private static final int BATCH = 1024;
    private static final int LENGTH = 100;

    private SlowPeer() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = 180;
        long every = 5;
        long sinkSleepMs = 5;
        for (String a : args) {
            if (a.startsWith("seconds=")) {
                seconds = Long.parseLong(a.substring(8));
            } else if (a.startsWith("every=")) {
                every = Long.parseLong(a.substring(6));
            } else if (a.startsWith("sinkSleepMs=")) {
                sinkSleepMs = Long.parseLong(a.substring(12));
            } else {
                System.err.println("unknown argument '" + a + "': use seconds=N every=N sinkSleepMs=N");
                System.exit(2);
            }
        }
        String key = keyOfWorker(1, 2);
        AtomicLong read = new AtomicLong();
        AtomicLong written = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long sleep = sinkSleepMs;
        System.out.printf("# slow peer: %d s, process 0 reads %d-char strings as fast as it may, process 1's sink sleeps %d ms"
                + " per batch; heap max %d MB; JVM options %s%n", seconds, LENGTH, sinkSleepMs,
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments());
        Monitor monitor = new Monitor(read, written, every);
        monitor.start();
        long t0 = System.nanoTime();
        try {
            Runner.runCluster(p -> flow(key, read, written, end, sleep), RunOptions.defaults().withWorkers(1),
                    new GrpcTransport(), addresses(2), ClusterSpec.Security.NONE);
        } finally {
            monitor.interrupt();
            monitor.join();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        monitor.sample(); // the last figures
        System.out.printf("RESULT slow-peer seconds=%.0f read=%d written=%d source_per_s=%.0f max_lead_items=%d"
                        + " max_heap_used_mb=%d max_old_gen_mb=%d heap_max_mb=%d%n", s, read.get(), written.get(),
                read.get() / s, monitor.maxLead, monitor.maxUsed >> 20, monitor.maxOld >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (read.get() != written.get()) {
            System.err.println("items went missing: read " + read + ", written " + written);
            System.exit(1);
        }
    }

    private static Dataflow flow(String key, AtomicLong read, AtomicLong written, long endNanos, long sinkSleepMs) {
        Dataflow flow = new Dataflow("slow-peer");
        flow.input("inp", (DynamicSource<String>) ctx -> new StatelessSourcePartition<>() {
            long next;

            @Override
            public List<String> nextBatch() {
                if (ctx.workerIndex() != 0 || System.nanoTime() - endNanos >= 0) {
                    return null; // only process 0 reads
                }
                List<String> out = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    out.add(item(next++));
                }
                read.addAndGet(BATCH);
                return out;
            }
        }).keyOn("to-process-1", s -> key)
                .statefulMap("count", (Long c, String s) -> Update.of(c == null ? 1L : c + 1, s))
                .output("slow", (DynamicSink<KV<String>>) ctx -> new StatelessSinkPartition<>() {
                    @Override
                    public void writeBatch(List<KV<String>> items) throws InterruptedException {
                        written.addAndGet(items.size());
                        Thread.sleep(sinkSleepMs); // the slow sink
                    }
                });
        return flow;
    }

    /** A distinct 100-character string per index, so that nothing is shared between items. */
    private static String item(long i) {
        StringBuilder b = new StringBuilder(LENGTH);
        b.append(i).append(':');
        while (b.length() < LENGTH) {
            b.append((char) ('a' + (b.length() + i) % 26));
        }
        return b.toString();
    }

    /** A key that {@link StableHash} gives to {@code worker} of {@code workers}. */
    static String keyOfWorker(int worker, int workers) {
        for (int i = 0; ; i++) {
            if (StableHash.owner("k" + i, workers) == worker) {
                return "k" + i;
            }
        }
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

    /** Prints the figures every few seconds and keeps their maxima (the lead is also sampled more often). */
    private static final class Monitor extends Thread {
        private final AtomicLong read;
        private final AtomicLong written;
        private final long everyMs;
        private final long t0 = System.nanoTime();
        volatile long maxLead;
        volatile long maxUsed;
        volatile long maxOld;

        Monitor(AtomicLong read, AtomicLong written, long everySeconds) {
            super("slow-peer-monitor");
            setDaemon(true);
            this.read = read;
            this.written = written;
            this.everyMs = everySeconds * 1000;
        }

        @Override
        public void run() {
            long nextPrint = everyMs;
            try {
                while (true) {
                    Thread.sleep(100);
                    long[] f = sample();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (ms >= nextPrint) {
                        nextPrint += everyMs;
                        System.out.printf("t=%3d s read=%d written=%d lead=%d heap_used_mb=%d old_gen_mb=%d heap_max_mb=%d%n",
                                ms / 1000, f[0], f[1], f[0] - f[1], f[2] >> 20, f[3] >> 20, Runtime.getRuntime().maxMemory() >> 20);
                    }
                }
            } catch (InterruptedException e) {
                // the run ended
            }
        }

        /** {read, written, heap used (garbage included), old generation used (what survived young collections)}; updates the maxima. */
        synchronized long[] sample() {
            long w = written.get();
            long r = read.get(); // after the sink's count: a lead is never understated by a race
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long old = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                    old = pool.getUsage().getUsed();
                }
            }
            maxLead = Math.max(maxLead, r - w);
            maxUsed = Math.max(maxUsed, used);
            maxOld = Math.max(maxOld, old);
            return new long[] {r, w, used, old};
        }
    }
}
