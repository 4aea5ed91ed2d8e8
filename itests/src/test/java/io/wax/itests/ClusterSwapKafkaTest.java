package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.wax.kafka.broker.LocalKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarFile;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 19's cluster part: {@link ClusterSwapTest}'s swaps (the gRPC transport by {@code wax:update}
 * in process 0 then process 1, then the flow bundle's next build dropped into both {@code deploy/}
 * folders) under {@link LiveKafkaExamTest}'s flow, the stateful Kafka-to-Kafka
 * {@code kafka-wordcount-eos} with its exactly-once sink, run by two whole {@code bin/wax} shells
 * as processes 0 and 1 of a cluster with a shared {@code -r} store, and fed continuously by
 * {@link LiveKafkaFeed} through a test-owned broker. Every swap must resume both processes after
 * the same epoch, the flow's new build (told apart by its build mark in {@code /status}, as
 * {@link LiveKafkaExamTest} does) must run in both and commit output, and a {@code read_committed}
 * consumer must see exactly an uninterrupted run's outputs.
 */
public class ClusterSwapKafkaTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String FLOW = "kafka-wordcount-eos";
    private static final String FLOW_BUNDLE = "io.wax.examples.kafka";
    private static final String FLOW_JAR = "deploy/wax-examples-kafka.jar";

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theTransportAndThenTheFlowAreSwappedInBothProcessesUnderAnExactlyOnceKafkaFlow() throws Exception {
        Path[] homes = new Path[2];
        int[] metrics = new int[2];
        for (int p = 0; p < 2; p++) {
            homes[p] = WaxProcess.copyOfDistribution(tmp.newFolder("p" + p).toPath());
            metrics[p] = ObservabilityTest.freePort();
        }
        // The flow's next build: its version raised (so the cluster's handshake tells the builds
        // apart, as with ClusterSwapTest's live-v2) and a build mark of its own (so /status names it).
        String version;
        try (JarFile jar = new JarFile(homes[0].resolve(FLOW_JAR).toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        String next = (Integer.parseInt(version.split("\\.")[0]) + 1) + ".0.0";
        String mark = "flow-" + Long.toHexString(System.nanoTime());
        Path nextJar = LiveKafkaExamTest.mark(homes[0].resolve(FLOW_JAR), tmp.getRoot().toPath().resolve(mark + ".jar"), mark, next);
        Path state = tmp.getRoot().toPath().resolve("state");
        String addresses = "127.0.0.1:" + ObservabilityTest.freePort() + ";127.0.0.1:" + ObservabilityTest.freePort();
        long lines;
        List<Long> resumed;
        try (LocalKafka kafka = LocalKafka.start(tmp.newFolder("kafka").toPath())) {
            kafka.createTopic(LiveKafkaFeed.IN, LiveKafkaFeed.PARTITIONS);
            kafka.createTopic(LiveKafkaFeed.OUT, LiveKafkaFeed.PARTITIONS);
            Function<String, Object> feed = LiveKafkaFeed.commands(kafka.bootstrap());
            boolean feeding = false;
            try (WaxProcess p0 = WaxProcess.start(homes[0], Map.of()); WaxProcess p1 = WaxProcess.start(homes[1], Map.of())) {
                WaxProcess[] shells = {p0, p1};
                startCluster(shells, kafka.bootstrap(), state, addresses, metrics);
                feed.apply("start");
                feeding = true;
                Await.until(TIMEOUT, () -> committed(feed).size() > 0, () -> "no committed output" + ClusterSwapTest.swapLines(homes));
                for (int p = 0; p < 2; p++) {
                    String flow = LiveKafkaExamTest.builds(metrics[p]).get("flow");
                    assertTrue("process " + p + " runs build 1 of the flow: " + flow, flow.startsWith(FLOW_BUNDLE + " " + version + " "));
                }

                // The transport: a user's wax:update in each process, one after the other.
                for (int p = 0; p < 2; p++) {
                    String jar = homes[p].resolve("bundle/wax-transport-grpc.jar").toString();
                    WaxProcess s = shells[p];
                    int before = s.out().length();
                    int seen = committed(feed).size();
                    long t0 = System.nanoTime();
                    s.send("wax:update io.wax.transport.grpc " + jar + "\n");
                    Await.until(TIMEOUT, () -> s.out().substring(before).contains("flow '" + FLOW + "': ")
                            && s.out().substring(before).contains("\n" + ShellTest.PROMPT), () -> s.out() + s.err());
                    String report = s.out().substring(before);
                    assertTrue(report + "\nstderr: " + s.err() + logs(homes), report.contains("flow '" + FLOW + "': resumed after epoch"));
                    assertTrue(report, report.contains("the transport bundle io.wax.transport.grpc"));
                    int n = p + 1;
                    Await.until(TIMEOUT, () -> resumes(homes[0]).size() == n && resumes(homes[1]).size() == n,
                            () -> "process 0 resumed after " + resumes(homes[0]) + ", process 1 after " + resumes(homes[1]));
                    Await.until(TIMEOUT, () -> committed(feed).size() > seen, () -> "no committed output after the transport's swap");
                    System.out.printf("ClusterSwapKafkaTest: transport swap in process %d: new committed output %.1f s after wax:update%n",
                            p, (System.nanoTime() - t0) / 1e9);
                }

                // The flow: the next build dropped into process 0's deploy/; process 0 then waits for
                // process 1, whose handshake names the other version, until it reaches its deploy/ too.
                long t0 = System.nanoTime();
                ClusterSwapTest.replace(nextJar, homes[0].resolve(FLOW_JAR));
                Await.until(TIMEOUT, () -> ClusterSwapTest.log(homes[0]).contains("the cluster did not form again yet")
                        || ClusterSwapTest.log(homes[1]).contains("the cluster did not form again yet"), () -> ClusterSwapTest.log(homes[0]));
                String waiting = ClusterSwapTest.log(homes[0]) + ClusterSwapTest.log(homes[1]);
                assertTrue(waiting, waiting.contains("from bundle version " + next) || waiting.contains("from " + next));
                int seen = committed(feed).size();
                ClusterSwapTest.replace(nextJar, homes[1].resolve(FLOW_JAR));
                Await.until(TIMEOUT, () -> resumes(homes[0]).size() == 3 && resumes(homes[1]).size() == 3,
                        () -> "process 0 resumed after " + resumes(homes[0]) + ", process 1 after " + resumes(homes[1]));
                String build = FLOW_BUNDLE + " " + next + " build " + mark;
                for (int p = 0; p < 2; p++) {
                    int port = metrics[p];
                    Await.until(TIMEOUT, () -> build.equals(status(port).get("flow")), () -> "process runs " + status(port));
                }
                Await.until(TIMEOUT, () -> committed(feed).size() > seen, () -> "no committed output after the flow's swap");
                System.out.printf("ClusterSwapKafkaTest: flow swap: new committed output %.1f s after the jar reached process 0%n",
                        (System.nanoTime() - t0) / 1e9);
                resumed = resumes(homes[0]);
                assertEquals("every swap resumed both processes after the same epoch", resumed, resumes(homes[1]));

                // The end: the feed stops, every line's output is committed, then one wax:stop stops the cluster.
                lines = (Long) feed.apply("stop");
                feeding = false;
                long n = lines;
                Await.until(Duration.ofMinutes(2), () -> committed(feed).size() >= n,
                        () -> "committed " + committed(feed).size() + " of " + n + " outputs" + ClusterSwapTest.swapLines(homes));
                p0.send("wax:stop " + FLOW + "\n");
                for (WaxProcess s : shells) {
                    Await.until(TIMEOUT, () -> s.out().contains("ended in the background: "), () -> s.out() + s.err());
                    s.send("exit\n");
                }
                for (int p = 0; p < 2; p++) {
                    assertEquals(shells[p].err(), 0, shells[p].exitCode(TIMEOUT));
                    assertFalse("process " + p + ": " + shells[p].err(), shells[p].err().contains("wax:start:"));
                }
            } finally {
                if (feeding) {
                    feed.apply("stop");
                }
            }
            for (int p = 0; p < 2; p++) {
                for (String line : ClusterSwapTest.log(homes[p]).split("\\R")) {
                    if (line.contains("swap of flow '" + FLOW + "': resumed") || line.contains("took")) {
                        System.out.println("ClusterSwapKafkaTest: process " + p + ": " + line);
                    }
                }
            }
            List<String> all = committed(feed);
            System.out.printf("ClusterSwapKafkaTest: %d lines fed, %d outputs committed, swaps resumed after epochs %s%n",
                    lines, all.size(), resumed);
            assertEquals(LiveKafkaExamTest.expected(lines), LiveKafkaExamTest.multiset(all));
        }
    }

    /** A store of 2 partitions, then the flow in the background of each shell as process 0 and 1 of a cluster with -r. */
    private static void startCluster(WaxProcess[] shells, String bootstrap, Path state, String addresses, int[] metrics)
            throws Exception {
        shells[0].send("wax:recovery init " + state + " 2\n");
        Await.until(TIMEOUT, () -> shells[0].out().contains("created a recovery store"), () -> shells[0].out() + shells[0].err());
        for (int p = 0; p < 2; p++) {
            WaxProcess s = shells[p];
            Await.until(TIMEOUT, Duration.ofMillis(500), () -> {
                ClusterSwapTest.send(s, "wax:flows\n");
                return s.out().contains(FLOW);
            }, s::out);
            s.send("wax:start '" + FLOW + "(\"" + bootstrap + "\",\"" + LiveKafkaFeed.IN + "\",\"" + LiveKafkaFeed.OUT + "\")'"
                    + " -w2 --epoch-interval 100ms -s 200ms -i" + p + " -a \"" + addresses + "\" -r " + state
                    + " --metrics-port " + metrics[p] + "\n");
        }
    }

    /** Both processes' logs after their first cluster warning, for a failure's message. */
    private static String logs(Path[] homes) {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < homes.length; p++) {
            for (String line : ClusterSwapTest.log(homes[p]).split("\\R")) {
                if (!line.contains(" DEBUG ")) {
                    b.append("\nprocess ").append(p).append(": ").append(line);
                }
            }
        }
        return b.toString();
    }

    private static List<Long> resumes(Path home) {
        return ClusterSwapTest.resumes(home, FLOW);
    }

    /** The run's builds from /status, or none while the process serves no /status (between runs of a swap). */
    private static Map<String, String> status(int port) {
        try {
            return LiveKafkaExamTest.builds(port);
        } catch (java.io.IOException | AssertionError e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> committed(Function<String, Object> feed) {
        return (List<String>) feed.apply("read");
    }
}
