package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.wax.kafka.broker.LocalKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * an 8-partition topic on a cluster of 2 processes with 2 workers each (gRPC on loopback, one
 * shared store directory), recovery on and snapshots every 200 ms, and is killed with SIGKILL at
 * random moments, one process or both, cycle after cycle, with more input each cycle; every
 * process of a cycle has exited before the next starts (fate sharing ends the survivor). Then a
 * run until every output is committed, stopped by one SIGTERM to one process (every process of
 * the run must exit 0), and a {@code read_committed} consumer must see exactly the outputs of an
 * uninterrupted run, every word's counts 1..n once: 0 lost, 0 duplicated, and no transaction
 * left open (a killed run's lingering transactions were aborted, nobody is stuck behind them).
 * The second test does the same with a rescale in the middle: 2 processes, then 1, then 2 again
 * (transactional ids follow Kafka partitions, not workers, so each run finds them all).
 *
 * <p>{@code -Deos.cycles=N} killed runs (default 4, 2 for the rescale; 20 for the full chaos run),
 * {@code -Deos.seed=S} replays a failure (the seed is printed), {@code -Deos.processes=P} (default
 * 2; 1 runs single processes).
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
        // The first run of a fresh copy records its class-data archive: not inside a killed run, nor twice at once.
        assertEquals(0, WaxProcess.run(home, Map.of(), "", "flows").exitCode());
    }

    @AfterClass
    public static void tearDown() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    public void killedAtRandomAndResumedAReadCommittedConsumerSeesEveryCountExactlyOnce() throws Exception {
        int cycles = Integer.getInteger("eos.cycles", 4);
        int processes = Integer.getInteger("eos.processes", 2);
        int[] runs = new int[cycles];
        Arrays.fill(runs, processes);
        chaos("kill", runs, processes);
    }

    @Test
    public void rescaledFromTwoProcessesToOneAndBackAReadCommittedConsumerSeesEveryCountExactlyOnce()
            throws Exception {
        int cycles = Math.max(2, Integer.getInteger("eos.cycles", 2));
        // The first third of the killed runs on 2 processes, the next on 1, the rest and the final run on 2.
        int[] runs = new int[cycles];
        for (int c = 0; c < cycles; c++) {
            runs[c] = c >= (cycles + 2) / 3 && c < 2 * (cycles + 2) / 3 ? 1 : 2;
        }
        chaos("rescale", runs, 2);
    }

    /** Killed runs with {@code runs[c]} processes each, then a run to the end on {@code last} processes. */
    private void chaos(String name, int[] runs, int last) throws Exception {
        long seed = Long.getLong("eos.seed", System.nanoTime());
        System.out.println("KafkaExactlyOnceChaosTest." + name + ": seed=" + seed + " cycles=" + runs.length
                + " processes=" + Arrays.toString(runs) + " then " + last + " (replay with -Deos.seed=" + seed + ")");
        Random random = new Random(seed);
        String in = "lines-" + name;
        String out = "counts-" + name;
        kafka.createTopic(in, PARTITIONS);
        kafka.createTopic(out, PARTITIONS);
        Path store = TMP.getRoot().toPath().resolve("store-" + name);
        WaxProcess init = WaxProcess.run(home, Map.of(), "", "recovery", "init", store.toString(), "4");
        assertEquals(init.err(), 0, init.exitCode());

        Map<String, Long> totals = new TreeMap<>();
        int killed = 0;
        for (int c = 0; c < runs.length; c++) {
            produce(random, totals, in);
            List<WaxProcess> ps = start(store, in, out, runs[c]);
            // More input all along the run, so that kills also land while output is being written.
            try (Feeder feed = new Feeder(in, random.nextLong(), totals)) {
                // A random moment: booting, forming the cluster, resuming, running, committing (two
                // processes booting at once on a loaded 2-core machine take 4-6 s to form).
                long wait = runs[c] == 1 ? 500 + random.nextInt(3500) : 1000 + random.nextInt(7000);
                boolean one = runs[c] > 1 && random.nextBoolean();
                int victim = random.nextInt(runs[c]);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                for (WaxProcess p : ps) {
                    if (p.exitCodeWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                        throw new AssertionError("seed " + seed + ": a process ended by itself: " + p.err());
                    }
                }
                for (int i = 0; i < ps.size(); i++) {
                    if (!one || i == victim) {
                        ps.get(i).signal("KILL");
                    }
                }
                // The others stop on their own (fate sharing).
                for (WaxProcess p : ps) {
                    p.exitCode(Duration.ofSeconds(40));
                }
                for (int i = 0; i < ps.size(); i++) {
                    String err = ps.get(i).err().strip();
                    if (!err.isEmpty()) {
                        System.out.println("cycle " + c + " process " + i + " stderr: "
                                + err.substring(0, Math.min(err.length(), 600)));
                    }
                    // Killed, or stopped because a peer was: never a failure of the flow itself.
                    assertFalse("seed " + seed + ", cycle " + c + ": the flow failed by itself: " + err,
                            err.contains("failed in step"));
                }
                killed++;
                System.out.println("cycle " + c + ": " + runs[c] + " process(es), killed "
                        + (one ? "process " + victim : "all") + " after " + wait + " ms; committed outputs so far "
                        + read(true, out).size());
            } finally {
                ps.forEach(WaxProcess::close);
            }
        }
        produce(random, totals, in);
        long expected = totals.values().stream().mapToLong(Long::longValue).sum();
        List<WaxProcess> ps = start(store, in, out, last);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (read(true, out).size() < expected && System.nanoTime() < deadline
                    && ps.stream().allMatch(WaxProcess::alive)) {
                Thread.sleep(500); // polling the output topic, not a synchronisation
            }
            for (WaxProcess p : ps) {
                if (!p.alive()) {
                    throw new AssertionError("seed " + seed + ": the final run ended by itself (exit " + p.exitCode()
                            + "): " + p.err());
                }
            }
            // Every output is committed: one SIGTERM, to any one process, stops the run (the whole
            // cluster) gracefully, and every process exits 0 once its sinks have committed.
            int stopped = random.nextInt(ps.size());
            ps.get(stopped).signal("TERM");
            for (int i = 0; i < ps.size(); i++) {
                assertEquals("seed " + seed + ", SIGTERM to process " + stopped + " of the final run, process " + i
                        + ": " + ps.get(i).err(), 0, ps.get(i).exitCode(Duration.ofSeconds(60)));
            }
        } finally {
            ps.forEach(WaxProcess::close);
        }
        // The last commits' markers may still be on their way; a transaction still open after 30 s
        // (the sink's transaction.timeout.ms is 15 minutes) was left behind, and fails the test here.
        kafka.awaitTransactionsSettled(out, Duration.ofSeconds(30));
        List<String> got = read(true, out);
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
        System.out.println("KafkaExactlyOnceChaosTest." + name + ": seed=" + seed + " processes="
                + Arrays.toString(runs) + "+" + last + " kills=" + killed + " outputs=" + got.size() + " expected="
                + expected + " lost=" + lost + " duplicated=" + duplicated + " unexpected=" + foreign);
        assertEquals("lost outputs (seed " + seed + ")", 0, lost);
        assertEquals("duplicated outputs (seed " + seed + ")", 0, duplicated);
        assertEquals("outputs an uninterrupted run never gives (seed " + seed + ")", 0, foreign);
        System.out.println("KafkaExactlyOnceChaosTest." + name + ": aborted outputs of killed runs in the log: "
                + (read(false, out).size() - got.size()));
    }

    /** The processes of one run: a cluster on fresh loopback ports, or one process alone. */
    private static List<WaxProcess> start(Path store, String in, String out, int processes) throws Exception {
        List<String> base = List.of("run", "kafka-wordcount-eos(\"" + kafka.bootstrap() + "\",\"" + in + "\",\""
                + out + "\")", "-w2", "-r", store.toString(), "-s", "200ms", "--epoch-interval", "50ms");
        List<WaxProcess> ps = new ArrayList<>();
        if (processes == 1) {
            ps.add(WaxProcess.start(home, Map.of(), base.toArray(String[]::new)));
            return ps;
        }
        String addresses = ClusterTest.addresses(processes);
        Map<String, String> env = Map.of("WAX_CLUSTER_SECRET", "kafka-chaos");
        try {
            for (int i = 0; i < processes; i++) {
                List<String> args = new ArrayList<>(base);
                // A process killed before the cluster formed leaves the others waiting this long, not 30 s.
                args.addAll(List.of("-i" + i, "-a", addresses, "--cluster-timeout", "10s"));
                ps.add(WaxProcess.start(home, env, args.toArray(String[]::new)));
            }
        } catch (IOException | RuntimeException e) {
            ps.forEach(WaxProcess::close);
            throw e;
        }
        return ps;
    }

    /**
     * Sends 10 lines of 8 random words every 50 ms (1,600 words a second) until closed, and then
     * adds the counts of what it sent to {@code totals}.
     */
    private static final class Feeder implements AutoCloseable {
        private final Map<String, Long> sent = new HashMap<>();
        private final Map<String, Long> totals;
        private final KafkaProducer<String, String> producer;
        private final Thread thread;
        private final AtomicReference<Exception> failed = new AtomicReference<>();
        private volatile boolean stop;

        Feeder(String topic, long seed, Map<String, Long> totals) {
            this.totals = totals;
            this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(), "linger.ms", 5),
                    new StringSerializer(), new StringSerializer());
            Random random = new Random(seed);
            this.thread = new Thread(() -> {
                try {
                    while (!stop) {
                        for (int i = 0; i < 10; i++) {
                            producer.send(new ProducerRecord<>(topic, random.nextInt(PARTITIONS), null,
                                    line(random, sent)), (md, e) -> {
                                        if (e != null) {
                                            failed.compareAndSet(null, e);
                                        }
                                    });
                        }
                        Thread.sleep(50); // the input's pace, not a synchronisation
                    }
                } catch (InterruptedException | RuntimeException e) {
                    failed.compareAndSet(null, e);
                }
            }, "chaos-feeder");
            thread.start();
        }

        @Override
        public void close() throws Exception {
            stop = true;
            thread.join();
            producer.flush();
            producer.close();
            if (failed.get() != null) {
                throw new AssertionError("producing input failed", failed.get());
            }
            sent.forEach((w, n) -> totals.merge(w, n, Long::sum));
        }
    }

    private static String line(Random random, Map<String, Long> totals) {
        StringBuilder line = new StringBuilder();
        for (int w = 0; w < 8; w++) {
            String word = "w" + random.nextInt(WORDS);
            totals.merge(word, 1L, Long::sum);
            line.append(word).append(' ');
        }
        return line.toString();
    }

    /** Sends a chunk of lines of random words and adds their counts to {@code totals}. */
    private static void produce(Random random, Map<String, Long> totals, String topic) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                "linger.ms", 5), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < LINES_PER_CYCLE; i++) {
                p.send(new ProducerRecord<>(topic, random.nextInt(PARTITIONS), null, line(random, totals)));
            }
            p.flush();
        }
    }

    /** The output topic as {@code word=count} strings, read to its (stable) end. */
    private static List<String> read(boolean committed, String topic) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", kafka.bootstrap());
        conf.put("isolation.level", committed ? "read_committed" : "read_uncommitted");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(topic, i));
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
}
