package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.wax.kafka.broker.LocalKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code kafka-wordcount} on a cluster of two whole {@code bin/wax} processes of two workers each,
 * over gRPC on loopback, reading a 4-partition topic of a real broker (started from Maven Central
 * jars on free ports): each of the 4 partitions is read by exactly one worker of the 4 (seen in
 * each process's {@code /metrics}, whose {@code wax_source_lag_records} lists the partitions each
 * worker has open), and the counts written back to Kafka are a single-process run's, each
 * {@code word=n} once.
 */
public class KafkaClusterTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static final int PARTITIONS = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** {@code wax_source_lag_records{flow=...,partition="lines-2",process="0",step="...",worker="1"} 0.0}. */
    private static final Pattern LAG = Pattern.compile(
            "^wax_source_lag_records\\{[^}]*partition=\"(lines-\\d+)\"[^}]*process=\"(\\d+)\"[^}]*worker=\"(\\d+)\"[^}]*}",
            Pattern.MULTILINE);
    private static Path home;
    private static LocalKafka kafka;

    @BeforeClass
    public static void setUp() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        // The first run of a fresh copy records its class-data archive: not inside the cluster's start, nor twice at once.
        assertEquals(0, WaxProcess.run(home, Map.of(), "", "flows").exitCode());
        kafka = LocalKafka.start(Path.of("target/kafka-cluster").toAbsolutePath());
    }

    @AfterClass
    public static void tearDown() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    public void twoProcessesOfTwoWorkersReadEachPartitionOnceAndCountAsOneProcessDoes() throws Exception {
        kafka.createTopic("lines", PARTITIONS);
        kafka.createTopic("counts-single", PARTITIONS);
        kafka.createTopic("counts-cluster", PARTITIONS);
        Map<String, Long> totals = produce(new Random(15), 400);
        long expected = totals.values().stream().mapToLong(Long::longValue).sum();

        try (WaxProcess single = WaxProcess.start(home, Map.of(), "run", getter("counts-single"), "-w2")) {
            awaitOutputs(List.of(single), "counts-single", expected);
            single.signal("TERM");
            assertEquals(single.err(), 0, single.exitCode(Duration.ofSeconds(60)));
        }
        List<String> singleOut = read("counts-single");

        // Four distinct free ports: two for the cluster, two for /metrics.
        String[] ports = ClusterTest.addresses(4).split(";");
        String a = ports[0] + ";" + ports[1];
        int[] metrics = {port(ports[2]), port(ports[3])};
        try (WaxProcess p0 = cluster(0, a, metrics[0]); WaxProcess p1 = cluster(1, a, metrics[1])) {
            List<WaxProcess> ps = List.of(p0, p1);
            awaitOutputs(ps, "counts-cluster", expected);
            // Which worker has which partition open, as each process reports its own workers.
            Map<String, List<String>> readers = new TreeMap<>();
            for (int p = 0; p < 2; p++) {
                Matcher m = LAG.matcher(scrape(metrics[p]));
                while (m.find()) {
                    assertEquals("a process reports only its own workers", Integer.toString(p), m.group(2));
                    int worker = Integer.parseInt(m.group(3));
                    assertTrue("process " + p + " reports worker " + worker, worker / 2 == p);
                    readers.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add("worker " + worker);
                }
            }
            System.out.println("KafkaClusterTest: partition readers " + readers);
            assertEquals("partitions and the workers reading them: " + readers, PARTITIONS, readers.size());
            for (Map.Entry<String, List<String>> e : readers.entrySet()) {
                assertEquals("readers of " + e.getKey() + ": " + readers, 1, e.getValue().size());
            }
            for (WaxProcess p : ps) {
                p.signal("TERM");
            }
            for (WaxProcess p : ps) {
                assertEquals(p.err(), 0, p.exitCode(Duration.ofSeconds(60)));
            }
        }
        List<String> clusterOut = read("counts-cluster");

        Map<String, Long> want = new TreeMap<>();
        totals.forEach((w, n) -> {
            for (long i = 1; i <= n; i++) {
                want.put(w + "=" + i, 1L);
            }
        });
        assertEquals("the single-process run counts every word", want, multiset(singleOut));
        assertEquals("the cluster counts as the single process does", multiset(singleOut), multiset(clusterOut));
    }

    private static String getter(String out) {
        return "kafka-wordcount(\"" + kafka.bootstrap() + "\",\"lines\",\"" + out + "\")";
    }

    private static WaxProcess cluster(int id, String addresses, int metricsPort) throws IOException {
        return WaxProcess.start(home, Map.of("WAX_CLUSTER_SECRET", "kafka cluster test"), "run", getter("counts-cluster"),
                "-w2", "-i" + id, "-a", addresses, "--metrics-port", Integer.toString(metricsPort));
    }

    /** Waits until {@code topic} holds {@code n} outputs, failing at once if a process ends by itself. */
    private static void awaitOutputs(List<WaxProcess> ps, String topic, long n) {
        // Polling the output topic: the flow tails its input and never says it has read it all.
        Await.until(Duration.ofMinutes(2), Duration.ofMillis(500), () -> {
            for (WaxProcess p : ps) {
                if (!p.alive()) {
                    throw new AssertionError("a process ended by itself: " + p.err());
                }
            }
            return count(topic) >= n;
        }, () -> topic + " holds " + count(topic) + " of " + n + " outputs; stderr: "
                + ps.stream().map(WaxProcess::err).toList());
    }

    /** Sends {@code lines} lines of random words, spread evenly over every partition; returns each word's count. */
    private static Map<String, Long> produce(Random random, int lines) {
        Map<String, Long> totals = new TreeMap<>();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                "linger.ms", 5), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < lines; i++) {
                StringBuilder line = new StringBuilder();
                for (int w = 0; w < 6; w++) {
                    String word = "w" + random.nextInt(150);
                    totals.merge(word, 1L, Long::sum);
                    line.append(word).append(' ');
                }
                p.send(new ProducerRecord<>("lines", i % PARTITIONS, null, line.toString()));
            }
            p.flush();
        }
        return totals;
    }

    private static long count(String topic) {
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> tps = partitions(topic);
            c.assign(tps);
            return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The topic as {@code word=count} strings, read to its end. */
    private static List<String> read(String topic) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> tps = partitions(topic);
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r.key() + "=" + r.value());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 60 s");
                }
            }
        }
        return out;
    }

    private static KafkaConsumer<String, String> consumer() {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", kafka.bootstrap());
        return new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer());
    }

    private static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        return tps;
    }

    private static Map<String, Long> multiset(List<String> items) {
        Map<String, Long> m = new TreeMap<>();
        items.forEach(s -> m.merge(s, 1L, Long::sum));
        return m;
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
        return r.body();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
