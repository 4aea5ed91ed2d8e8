package io.wax.bench.kafka;

import static io.wax.bench.Data.mix;
import static io.wax.bench.Data.stream;

import io.wax.api.Dataflow;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaSource;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.engine.Assignment;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Benchmark W4 (kafka-ingest, see BENCHMARKS.md): N messages of 100 bytes with null keys in a
 * 4-partition topic on a local broker, read to the end (bounded) and counted, through the engine
 * with {@link KafkaSource} and with a hand-written {@code KafkaConsumer} loop (one consumer thread
 * per worker, {@code assign()}), at 1 and 2 workers. Untimed warm-up runs first, then timed runs;
 * prints one {@code RESULT} line per measurement with the median.
 *
 * <p>System properties: {@code w4.items} (default 5,000,000), {@code w4.runs} (timed runs, 5;
 * the figures spread widely, the broker sharing the two cores), {@code w4.warmups} (2),
 * {@code w4.workers} (1,2), {@code w4.brokers} (use a running broker that already holds topic
 * {@code w4.topic}; default: start one in {@code w4.dir} and fill it),
 * {@code w4.batch} (the source's batch size, 1000), {@code w4.keep} (leave the started broker
 * running, for later runs with {@code w4.brokers}); for experiments {@code w4.config=k=v,...}
 * (extra consumer settings for the engine's source) and {@code w4.loopPerPartition} (one
 * hand-loop consumer thread per partition instead of per worker).
 */
public final class W4 {
    static final int PARTITIONS = 4;
    static final int VALUE_BYTES = 100;

    /** The RESULT lines, printed together at the end. */
    private static final List<String> RESULTS = new ArrayList<>();

    private W4() {
    }

    /** The value of message i. */
    static byte[] value(long i) {
        byte[] v = new byte[VALUE_BYTES];
        long h = stream(0x4444, i);
        for (int b = 0; b < VALUE_BYTES; b++) {
            if (b > 0 && b % 8 == 0) {
                h = mix(h);
            }
            v[b] = (byte) (h >>> ((b % 8) * 8));
        }
        return v;
    }

    public static void main(String[] args) throws Exception {
        long n = Long.getLong("w4.items", 5_000_000L);
        int runs = Integer.getInteger("w4.runs", 5);
        int warmups = Integer.getInteger("w4.warmups", 2);
        int batch = Integer.getInteger("w4.batch", 1000);
        int[] workerCounts = Arrays.stream(System.getProperty("w4.workers", "1,2").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        String topic = System.getProperty("w4.topic", "w4");
        String brokers = System.getProperty("w4.brokers");
        LocalKafka kafka = null;
        try {
            if (brokers == null) {
                long t = System.nanoTime();
                kafka = LocalKafka.start(Path.of(System.getProperty("w4.dir", "target/w4-kafka")).toAbsolutePath());
                brokers = kafka.bootstrap();
                System.out.printf(Locale.ROOT, "broker up at %s in %.1f s (pid %d)%n", brokers, secs(t), kafka.pid());
                kafka.createTopic(topic, PARTITIONS);
                t = System.nanoTime();
                produce(brokers, topic, n);
                System.out.printf(Locale.ROOT, "produced %d messages of %d bytes in %.1f s%n", n, VALUE_BYTES, secs(t));
            }
            for (int w : workerCounts) {
                List<double[]> wax = new ArrayList<>();
                List<double[]> loop = new ArrayList<>();
                for (int r = 0; r < warmups + runs; r++) {
                    boolean timed = r >= warmups;
                    System.gc();
                    long cpu0 = cpuNanos();
                    double[] a = runWax(brokers, topic, w, batch, n);
                    long cpu1 = cpuNanos();
                    System.gc();
                    long cpu2 = cpuNanos();
                    double[] b = runHandLoop(brokers, topic, w, batch, n);
                    long cpu3 = cpuNanos();
                    System.out.printf(Locale.ROOT, "%s p%d: wax %.3f s (start-up %.3f s, cpu %.2f s), handloop %.3f s"
                            + " (start-up %.3f s, cpu %.2f s)%n", timed ? "run" : "warm-up", w, a[0], a[1],
                            (cpu1 - cpu0) / 1e9, b[0], b[1], (cpu3 - cpu2) / 1e9);
                    if (timed) {
                        wax.add(a);
                        loop.add(b);
                    }
                }
                double waxRate = report("wax", w, n, wax);
                double loopRate = report("handloop", w, n, loop);
                System.out.printf(Locale.ROOT, "ratio w4-p%d wax/handloop=%.3f%n", w, waxRate / loopRate);
            }
            for (String line : RESULTS) {
                System.out.println(line);
            }
        } finally {
            if (kafka != null && !Boolean.getBoolean("w4.keep")) {
                kafka.close();
            } else if (kafka != null) {
                System.out.println("broker kept running: -Dw4.brokers=" + brokers + " (pid " + kafka.pid() + ")");
            }
        }
    }

    /** Prints the RESULT line and the median start-up; returns the median rate. */
    private static double report(String system, int workers, long n, List<double[]> results) {
        double[] secs = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double[] startups = results.stream().mapToDouble(x -> x[1]).sorted().toArray();
        double median = median(secs);
        System.out.printf(Locale.ROOT, "startup %s w4-p%d median_seconds=%.3f%n", system, workers, median(startups));
        String line = String.format(Locale.ROOT,
                "RESULT %s w4-p%d items=%d seconds=%.3f items_per_s=%.0f min_items_per_s=%.0f max_items_per_s=%.0f runs=%d",
                system, workers, n, median, n / median, n / secs[secs.length - 1], n / secs[0], secs.length);
        System.out.println(line);
        RESULTS.add(line);
        return n / median;
    }

    /** CPU time of this JVM (not the broker's), to see what the engine costs beyond the loop. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static double secs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static void produce(String brokers, String topic, long n) throws Exception {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", brokers);
        conf.put("acks", "1");
        conf.put("linger.ms", 20);
        conf.put("batch.size", 512 * 1024);
        conf.put("buffer.memory", 256L * 1024 * 1024);
        conf.put("compression.type", "none");
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(conf, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, value(i)), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            p.flush();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    /** One engine run; returns {seconds from first item to last output, start-up seconds}. */
    static double[] runWax(String brokers, String topic, int workers, int batch, long n) {
        Counter counter = new Counter();
        Dataflow flow = new Dataflow("w4");
        new KafkaSource<>(KafkaSourceConfig.builder(List.of(brokers), List.of(topic)).tail(false).batchSize(batch)
                .config(extraConfig()).build()).read(flow, "inp").oks().output("count", counter);
        long start = System.nanoTime();
        Runner.run(flow, RunOptions.defaults().withWorkers(workers));
        if (counter.count.get() != n) {
            throw new IllegalStateException("wax read " + counter.count.get() + " messages, expected " + n);
        }
        return new double[] {(counter.last.get() - counter.first.get()) / 1e9, (counter.first.get() - start) / 1e9};
    }

    /** {@code -Dw4.config=k=v,k=v}: extra consumer settings for the engine's source (experiments). */
    static Map<String, Object> extraConfig() {
        Map<String, Object> m = new HashMap<>();
        for (String kv : System.getProperty("w4.config", "").split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** Counts items; remembers when the first batch came and when the last one was done. */
    static final class Counter implements DynamicSink<Object> {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        @Override
        public StatelessSinkPartition<Object> build(WorkerContext ctx) {
            return items -> {
                long now = System.nanoTime();
                if (first.get() == Long.MAX_VALUE) {
                    first.accumulateAndGet(now, Math::min);
                }
                count.addAndGet(items.size());
                last.accumulateAndGet(System.nanoTime(), Math::max);
            };
        }
    }

    /** The hand-written loop: one thread and consumer per worker, the same partitions the engine would give it. */
    static double[] runHandLoop(String brokers, String topic, int workers, int batch, long n) throws Exception {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            parts.add(topic + "-" + p);
        }
        AtomicLong count = new AtomicLong();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        boolean perPartition = Boolean.getBoolean("w4.loopPerPartition");
        int threadCount = perPartition ? PARTITIONS : workers;
        for (int w = 0; w < threadCount; w++) {
            List<TopicPartition> mine = (perPartition ? List.of(parts.get(w)) : Assignment.partsOf("w4.inp", parts, w,
                    workers)).stream()
                    .map(s -> new TopicPartition(topic, Integer.parseInt(s.substring(s.lastIndexOf('-') + 1)))).toList();
            Thread t = new Thread(() -> {
                try {
                    count.addAndGet(consume(brokers, mine, batch, first, last));
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, "handloop-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("hand loop failed", failed.get());
        }
        if (count.get() != n) {
            throw new IllegalStateException("hand loop read " + count.get() + " messages, expected " + n);
        }
        return new double[] {(last.get() - first.get()) / 1e9, (first.get() - start) / 1e9};
    }

    private static long consume(String brokers, List<TopicPartition> tps, int batch, AtomicLong first,
                                AtomicLong last) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", brokers);
        conf.put("enable.auto.commit", false);
        conf.put("auto.offset.reset", "earliest");
        conf.put("max.poll.records", batch);
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(conf, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            boolean seen = false;
            while (!done(c, tps, end)) {
                ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(100));
                if (!rs.isEmpty() && !seen) {
                    seen = true;
                    first.accumulateAndGet(System.nanoTime(), Math::min);
                }
                n += rs.count();
            }
            last.accumulateAndGet(System.nanoTime(), Math::max);
        }
        return n;
    }

    private static boolean done(KafkaConsumer<?, ?> c, List<TopicPartition> tps, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : tps) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
