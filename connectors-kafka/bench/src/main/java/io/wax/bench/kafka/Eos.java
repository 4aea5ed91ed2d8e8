package io.wax.bench.kafka;

import io.wax.api.Dataflow;
import io.wax.connectors.kafka.KafkaMessage;
import io.wax.connectors.kafka.KafkaSerdes;
import io.wax.connectors.kafka.KafkaSink;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSinkMessage;
import io.wax.connectors.kafka.KafkaSource;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import io.wax.spi.engine.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka to Kafka, exactly-once beside at-least-once: N messages of 100 bytes (W4's values, null
 * keys) in an 8-partition topic are read to the end (bounded) and written to a fresh 8-partition
 * topic, at 1 and 2 workers, alternating the two guarantees in one JVM. Exactly-once runs with
 * recovery (an in-memory store) and 1-s snapshots, at-least-once without; both with 1-s epochs.
 * Time is the whole run; the output's size is checked with a read_committed consumer. Target:
 * exactly-once at least 70% of at-least-once.
 *
 * <p>Run it with {@code mvn -q -pl connectors-kafka/bench exec:exec -Dbench.main=io.wax.bench.kafka.Eos}
 * (bin/wax's JVM options; see the module README). System properties ({@code -Dbench.args="-D..."}):
 * {@code eos.items} (5,000,000), {@code eos.runs} (3), {@code eos.warmups} (1), {@code eos.workers}
 * (1,2), {@code eos.loaders} (4 producer threads filling the input).
 */
public final class Eos {
    static final int PARTITIONS = 8;

    private Eos() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.getLong("eos.items", 5_000_000L);
        int runs = Integer.getInteger("eos.runs", 3);
        int warmups = Integer.getInteger("eos.warmups", 1);
        int[] workerCounts = Arrays.stream(System.getProperty("eos.workers", "1,2").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        List<String> results = new ArrayList<>();
        try (LocalKafka kafka = LocalKafka.start(Path.of(System.getProperty("w4.dir", "target/eos-kafka")).toAbsolutePath())) {
            String brokers = kafka.bootstrap();
            kafka.createTopic("in", PARTITIONS);
            long t = System.nanoTime();
            produce(brokers, n);
            System.out.printf(Locale.ROOT, "produced %d messages in %.1f s%n", n, (System.nanoTime() - t) / 1e9);
            int topics = 0;
            for (int w : workerCounts) {
                List<Double> alos = new ArrayList<>();
                List<Double> eos = new ArrayList<>();
                for (int r = 0; r < warmups + runs; r++) {
                    for (boolean exactly : new boolean[] {false, true}) {
                        String out = "out-" + (++topics);
                        kafka.createTopic(out, PARTITIONS);
                        System.gc();
                        double s = run(brokers, out, w, exactly);
                        long written = count(brokers, out);
                        if (written != n) {
                            throw new IllegalStateException(out + " holds " + written + " committed messages, want " + n);
                        }
                        System.out.printf(Locale.ROOT, "%s p%d %s: %.2f s, %.0f msg/s%n", r < warmups ? "warm-up" : "run",
                                w, exactly ? "exactly-once" : "at-least-once", s, n / s);
                        if (r >= warmups) {
                            (exactly ? eos : alos).add(s);
                        }
                    }
                }
                double a = n / median(alos);
                double e = n / median(eos);
                results.add(String.format(Locale.ROOT, "RESULT kafka-to-kafka p%d items=%d alos_items_per_s=%.0f"
                        + " eos_items_per_s=%.0f eos/alos=%.3f runs=%d", w, n, a, e, e / a, runs));
            }
        }
        results.forEach(System.out::println);
    }

    /**
     * Fills topic {@code in}: message i goes to partition i mod 8. Loading used to take minutes with
     * one producer thread on a busy machine; now 4 threads each write 2 of the partitions with large
     * batches (1 MB, linger 50 ms), acks=1, no compression and no idempotence, so that the broker
     * appends whole batches and the load takes seconds.
     */
    static void produce(String brokers, long n) throws Exception {
        int threads = Integer.getInteger("eos.loaders", 4);
        AtomicReference<Exception> failed = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                Map<String, Object> conf = new HashMap<>();
                conf.put("bootstrap.servers", brokers);
                conf.put("acks", "1");
                conf.put("enable.idempotence", false);
                conf.put("linger.ms", 50);
                conf.put("batch.size", 1024 * 1024);
                conf.put("max.request.size", 8 * 1024 * 1024);
                conf.put("buffer.memory", 128L * 1024 * 1024);
                conf.put("compression.type", "none");
                try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(conf, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    for (long i = me; i < n; i += threads) {
                        p.send(new ProducerRecord<>("in", (int) (i % PARTITIONS), null, W4.value(i)), (md, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
                    }
                    p.flush();
                } catch (RuntimeException e) {
                    failed.compareAndSet(null, e);
                }
            }, "eos-loader-" + t);
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    /** One run; returns its seconds. */
    static double run(String brokers, String out, int workers, boolean exactly) {
        Dataflow flow = new Dataflow("k2k");
        KafkaSinkConfig.Builder<byte[], byte[]> sink = KafkaSinkConfig.builder(List.of(brokers), out)
                .serdes(KafkaSerdes.bytes(), KafkaSerdes.bytes());
        if (exactly) {
            sink.guarantee(KafkaSinkConfig.Guarantee.EXACTLY_ONCE).transactionalIdPrefix("bench-" + out);
        }
        new KafkaSink<>(sink.build()).write(new KafkaSource<>(KafkaSourceConfig.builder(List.of(brokers), List.of("in"))
                .tail(false).build()).read(flow, "inp").oks()
                .map("msg", (KafkaMessage<byte[], byte[]> m) -> KafkaSinkMessage.<byte[], byte[]>of(null, m.value())), "out");
        RunOptions o = RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofSeconds(1));
        if (exactly) {
            o = o.withRecovery(new InMemoryRecoveryStore()).withSnapshotInterval(Duration.ofSeconds(1));
        }
        long t = System.nanoTime();
        Runner.run(flow, o);
        return (System.nanoTime() - t) / 1e9;
    }

    /** Committed messages in the topic (the difference of end and start offsets, read_committed). */
    static long count(String brokers, String topic) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", brokers);
        conf.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(conf, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            long sum = 0;
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            for (TopicPartition tp : tps) {
                sum += end.get(tp);
            }
            // An exactly-once topic also holds one commit marker per transaction: count records instead.
            c.assign(tps);
            c.seekToBeginning(tps);
            long records = 0;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                records += c.poll(Duration.ofMillis(200)).count();
            }
            return sum == 0 ? 0 : records;
        }
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
