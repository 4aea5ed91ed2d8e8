package io.wax.bench;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Backpressure soak: a source that can produce far faster than the sink consumes (1 KB items),
 * exchanged between 2 workers, through keyed state, into a sink that takes 1 ms per batch. Run it
 * in a small heap, e.g. {@code java -Xmx256m ... io.wax.bench.Soak 180}: it prints heap use every
 * 10 s and fails if the run dies; without bounded in-flight data it would run out of memory in
 * seconds.
 */
public final class Soak {
    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 180;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        String payload = "x".repeat(1000);

        DynamicSource<String> fast = ctx -> new StatelessSourcePartition<>() {
            @Override
            public List<String> nextBatch() {
                if (stop.get()) {
                    return null;
                }
                List<String> b = new ArrayList<>(500);
                for (int i = 0; i < 500; i++) {
                    b.add(produced.incrementAndGet() + payload);
                }
                return b;
            }
        };
        DynamicSink<KV<Long>> slow = ctx -> new StatelessSinkPartition<>() {
            @Override
            public void writeBatch(List<KV<Long>> items) {
                LockSupport.parkNanos(1_000_000);
                consumed.addAndGet(items.size());
            }
        };
        Dataflow flow = new Dataflow("soak");
        flow.input("inp", fast).redistribute("spread")
                .keyOn("key", s -> s.substring(0, 3))
                .statefulMap("len", (Long total, String s) -> {
                    long t = (total == null ? 0 : total) + s.length();
                    return Update.of(t, t);
                })
                .output("out", slow);

        Thread runner = new Thread(() -> Runner.run(flow, RunOptions.defaults().withWorkers(2)), "soak-runner");
        AtomicLong failed = new AtomicLong();
        runner.setUncaughtExceptionHandler((t, e) -> {
            failed.set(1);
            e.printStackTrace();
        });
        runner.start();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long maxUsed = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && runner.isAlive()) {
            runner.join(10_000);
            long used = mem.getHeapMemoryUsage().getUsed();
            maxUsed = Math.max(maxUsed, used);
            System.out.printf("soak: produced=%d consumed=%d in-flight=%d heap-used=%d MB max-heap=%d MB%n",
                    produced.get(), consumed.get(), produced.get() - consumed.get(), used >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
        stop.set(true);
        runner.join();
        if (failed.get() != 0) {
            System.out.println("SOAK FAILED");
            System.exit(1);
        }
        System.out.printf("SOAK OK seconds=%d items=%d max-heap-used=%d MB%n", seconds, consumed.get(), maxUsed >> 20);
    }
}
