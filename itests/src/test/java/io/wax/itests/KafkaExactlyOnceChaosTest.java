package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.wax.kafka.broker.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Exactly-once from Kafka to Kafka through kill -9, on real {@code bin/wax} processes, a real
 * RocksDB store and a real broker: {@code kafka-wordcount-eos} (a stateful count per word) reads
 * an 8-partition topic with 2 workers per process, recovery on and snapshots every 200 ms, and is
 * killed with SIGKILL at random moments, cycle after cycle, with more input each cycle. Then a
 * run to the end, and a {@code read_committed} consumer must see exactly the outputs of an
 * uninterrupted run, every word's counts 1..n once: 0 lost, 0 duplicated, and no transaction
 * left open (a killed run's lingering transactions were aborted, nobody is stuck behind them).
 *
 * <p>{@code -Deos.cycles=N} (default 6; 20 for the full chaos run), {@code -Deos.seed=S} replays a
 * failure (the seed is printed), {@code -Deos.processes=P} (1 until recovery runs in a cluster).
 */
public class KafkaExactlyOnceChaosTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static final int PARTITIONS = 8;
    private static final int LINES_PER_CYCLE = 400;
    private static final int WORDS = 300;
    private static Path home;
    private static LocalKafka kafka;

    @BeforeClass
    public static void setUp() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        kafka = LocalKafka.start(Path.of("target/kafka-chaos").toAbsolutePath());
    }

    @AfterClass
    public static void tearDown() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    public void killedAtRandomAndResumedAReadCommittedConsumerSeesEveryCountExactlyOnce() throws Exception {
        int cycles = Integer.getInteger("eos.cycles", 6);
        int processes = Integer.getInteger("eos.processes", 1);
        long seed = Long.getLong("eos.seed", System.nanoTime());
        System.out.println("KafkaExactlyOnceChaosTest: seed=" + seed + " cycles=" + cycles + " processes=" + processes
                + " (replay with -Deos.seed=" + seed + ")");
        assertEquals("recovery in a cluster is not available yet: run with one process", 1, processes);
        Random random = new Random(seed);
        kafka.createTopic("lines", PARTITIONS);
        kafka.createTopic("counts", PARTITIONS);
        Path store = TMP.getRoot().toPath().resolve("store");
        WaxProcess init = WaxProcess.run(home, Map.of(), "", "recovery", "init", store.toString(), "4");
        assertEquals(init.err(), 0, init.exitCode());

        Map<String, Long> totals = new TreeMap<>();
        int killed = 0;
        for (int c = 0; c < cycles; c++) {
            produce(random, totals);
            try (WaxProcess p = WaxProcess.start(home, Map.of(), args(store))) {
                long wait = 500 + random.nextInt(3500); // a random moment: booting, resuming, running, committing
                if (p.exitCodeWithin(Duration.ofMillis(wait))) {
                    throw new AssertionError("the flow ended by itself: " + p.err());
                }
                p.signal("KILL");
                p.exitCode(Duration.ofSeconds(30));
                if (!p.err().isBlank()) {
                    System.out.println("cycle " + c + " stderr: " + p.err());
                }
                killed++;
                System.out.println("cycle " + c + ": killed after " + wait + " ms; committed outputs so far "
                        + read(true).size());
            }
        }
        produce(random, totals);
        long expected = totals.values().stream().mapToLong(Long::longValue).sum();
        try (WaxProcess p = WaxProcess.start(home, Map.of(), args(store))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (read(true).size() < expected && System.nanoTime() < deadline && p.alive()) {
                Thread.sleep(500); // polling the output topic, not a synchronisation
            }
            if (!p.alive()) {
                throw new AssertionError("the final run ended by itself (exit " + p.exitCode() + "): " + p.err());
            }
            p.signal("TERM");
            assertEquals(p.err(), 0, p.exitCode(Duration.ofSeconds(60)));
        }
        List<String> got = read(true);
        Map<String, Long> want = new TreeMap<>();
        for (Map.Entry<String, Long> e : totals.entrySet()) {
            for (long n = 1; n <= e.getValue(); n++) {
                want.put(e.getKey() + "=" + n, 1L);
            }
        }
        Map<String, Long> seen = new TreeMap<>();
        for (String s : got) {
            seen.merge(s, 1L, Long::sum);
        }
        long lost = want.keySet().stream().filter(k -> !seen.containsKey(k)).count();
        long duplicated = seen.values().stream().mapToLong(n -> n - 1).sum();
        long foreign = seen.keySet().stream().filter(k -> !want.containsKey(k)).count();
        System.out.println("KafkaExactlyOnceChaosTest: seed=" + seed + " kills=" + killed + " outputs=" + got.size()
                + " expected=" + expected + " lost=" + lost + " duplicated=" + duplicated + " unexpected=" + foreign);
        assertEquals("lost outputs (seed " + seed + ")", 0, lost);
        assertEquals("duplicated outputs (seed " + seed + ")", 0, duplicated);
        assertEquals("outputs an uninterrupted run never gives (seed " + seed + ")", 0, foreign);
        assertFalse("a transaction is still open on the output topic", openTransaction());
        System.out.println("KafkaExactlyOnceChaosTest: aborted outputs of killed runs in the log: "
                + (read(false).size() - got.size()));
    }

    private static String[] args(Path store) {
        return new String[] {"run", "kafka-wordcount-eos(\"" + kafka.bootstrap() + "\",\"lines\",\"counts\")", "-w2",
            "-r", store.toString(), "-s", "200ms", "--epoch-interval", "50ms"};
    }

    /** Sends a chunk of lines of random words and adds their counts to {@code totals}. */
    private static void produce(Random random, Map<String, Long> totals) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                "linger.ms", 5), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < LINES_PER_CYCLE; i++) {
                StringBuilder line = new StringBuilder();
                for (int w = 0; w < 8; w++) {
                    String word = "w" + random.nextInt(WORDS);
                    totals.merge(word, 1L, Long::sum);
                    line.append(word).append(' ');
                }
                p.send(new ProducerRecord<>("lines", random.nextInt(PARTITIONS), null, line.toString()));
            }
            p.flush();
        }
    }

    /** The output topic as {@code word=count} strings, read to its (stable) end. */
    private static List<String> read(boolean committed) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", kafka.bootstrap());
        conf.put("isolation.level", committed ? "read_committed" : "read_uncommitted");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition("counts", i));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r.key() + "=" + r.value());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the output topic to its end in 60 s");
                }
            }
        }
        return out;
    }

    /** Whether a read_committed consumer's end (the last stable offset) lies before the log's end. */
    private static boolean openTransaction() {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", kafka.bootstrap());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            tps.add(new TopicPartition("counts", i));
        }
        conf.put("isolation.level", "read_committed");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
            Map<TopicPartition, Long> stable = c.endOffsets(tps);
            conf.put("isolation.level", "read_uncommitted");
            try (KafkaConsumer<String, String> u = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
                return !stable.equals(u.endOffsets(tps));
            }
        }
    }
}
