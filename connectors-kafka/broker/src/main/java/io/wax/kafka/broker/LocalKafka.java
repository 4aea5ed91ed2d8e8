package io.wax.kafka.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), run from the
 * Maven Central jars of {@code kafka_2.13} as a separate {@code java} process on free loopback
 * ports. The broker's classpath was resolved by Maven when this module was built
 * ({@code broker.classpath}), so it never mixes with the caller's classpath.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.start(Files.createTempDirectory("kafka"))) {
 *     kafka.createTopic("words", 4);
 *     ... kafka.bootstrap() ...
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {
    /** How long the broker may take to come up. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int PORT_ATTEMPTS = 3;

    private final Path dir;
    private volatile Process process;
    private final int port;
    private final boolean deleteOnClose;

    private LocalKafka(Path dir, Process process, int port, boolean deleteOnClose) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker whose data, config and log live under {@code dir}; deletes its data on close. */
    public static LocalKafka start(Path dir) throws IOException {
        return start(dir, 0, true);
    }

    /**
     * Starts a broker.
     *
     * @param port the client port, or 0 for a free one
     * @param deleteOnClose whether {@link #close()} removes the broker's data
     */
    public static LocalKafka start(Path dir, int port, boolean deleteOnClose) throws IOException {
        Files.createDirectories(dir);
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int brokerPort = port != 0 ? port : freePort();
            int controllerPort = freePort();
            try {
                return launch(dir, brokerPort, controllerPort, deleteOnClose);
            } catch (PortTakenException e) {
                // Another process grabbed a port between our probe and the broker's bind: try others.
                last = e;
                if (port != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private static LocalKafka launch(Path dir, int brokerPort, int controllerPort, boolean deleteOnClose)
            throws IOException {
        Path data = dir.resolve("data");
        deleteTree(data);
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(data, brokerPort, controllerPort));
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J2);
        Path log = dir.resolve("broker.log");

        String clusterId = Uuid.randomUuid().toString();
        Process format = new ProcessBuilder(javaCommand(log4j, "kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", config.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile())
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IOException("formatting the Kafka storage failed; see " + dir.resolve("format.log") + ":\n"
                        + tail(dir.resolve("format.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting the Kafka storage", e);
        }

        Process broker = new ProcessBuilder(javaCommand(log4j, "kafka.Kafka", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalKafka kafka = new LocalKafka(dir, broker, brokerPort, deleteOnClose);
        try {
            kafka.awaitReady(log);
        } catch (IOException | RuntimeException e) {
            kafka.kill();
            throw e;
        }
        return kafka;
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                if (!process.isAlive()) {
                    String tail = tail(log);
                    if (tail.contains("Address already in use") || tail.contains("BindException")) {
                        throw new PortTakenException(tail);
                    }
                    throw new IOException("the Kafka broker exited with code " + process.exitValue() + "; see " + log
                            + ":\n" + tail);
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the Kafka broker", e);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("the Kafka broker did not come up within " + START_TIMEOUT.toSeconds()
                            + " s; see " + log + ":\n" + tail(log));
                }
            }
        }
    }

    /**
     * Kills the broker (as a crash would) and keeps its data, for tests of a broker that is down;
     * {@link #restart} brings it back on the same ports.
     */
    public void stop() {
        kill();
    }

    /** Starts the broker again after {@link #stop}, on the same ports and data, and waits until it serves. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker is running; stop() it first");
        }
        Path log = dir.resolve("broker.log");
        process = new ProcessBuilder(javaCommand(dir.resolve("log4j2.properties"), "kafka.Kafka",
                dir.resolve("server.properties").toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            awaitReady(log);
        } catch (IOException | RuntimeException e) {
            kill();
            throw e;
        }
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public Process process() {
        return process;
    }

    /**
     * Creates a topic with replication factor 1 and waits until the broker serves every partition
     * (topic creation returns before the broker's metadata cache knows the topic).
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    var d = admin.describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS).get(name);
                    if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null
                            && !p.leader().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // not known yet
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("topic " + name + " was created but is not served after 30 s");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name + ": " + e, e);
        }
    }

    /**
     * Whether a transaction is in flight on {@code topic} now: on some partition the last stable
     * offset (a {@code read_committed} reader's end) lies before the log's end. A transaction is in
     * flight from its first record on the partition until its commit or abort marker is there.
     */
    public boolean transactionOpen(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<TopicPartition, OffsetSpec> latest = latest(admin, topic);
            return !ends(admin, latest, IsolationLevel.READ_COMMITTED)
                    .equals(ends(admin, latest, IsolationLevel.READ_UNCOMMITTED));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the offsets of " + topic + ": " + e, e);
        }
    }

    /**
     * Waits until no transaction is in flight on {@code topic} (see {@link #transactionOpen}). A
     * commit's markers reach the partitions after the producer's {@code commitTransaction} has
     * returned, so a {@code read_committed} reader that starts at once may stop short of output
     * already committed: tests call this before they read, and its failure is their check that no
     * transaction was left open. Keep {@code timeout} below the producers' transaction.timeout.ms,
     * or the broker's own abort of a forgotten transaction hides it.
     *
     * @throws IllegalStateException when a transaction is still open after {@code timeout}, naming
     *         the partitions
     */
    public void awaitTransactionsSettled(String topic, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<TopicPartition, OffsetSpec> latest = latest(admin, topic);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = ends(admin, latest, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> end = ends(admin, latest, IsolationLevel.READ_UNCOMMITTED);
                if (stable.equals(end)) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a transaction is still open on " + topic + " after " + timeout
                            + ": stable offsets " + stable + ", log ends " + end);
                }
                Thread.sleep(20); // the broker's markers: nothing to wait on from here but the offsets
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the offsets of " + topic + ": " + e, e);
        }
    }

    /** Every partition of {@code topic}, each asking for its latest offset. */
    private static Map<TopicPartition, OffsetSpec> latest(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return latest;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> latest,
            IsolationLevel level) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(level)).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Stops the broker at once (its data is throw-away) and deletes its data if asked to. */
    @Override
    public void close() {
        kill();
        if (deleteOnClose) {
            try {
                deleteTree(dir.resolve("data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Names the main class early in the command line, before the classpath: the JDK reports at
     * most 4,096 characters of another process's command line, and the broker's classpath alone
     * is longer, so a main class named at the end cannot be seen (see {@link #isBrokerCommand}).
     */
    static final String MAIN_MARKER = "-Dwax.local-kafka.main=";

    static List<String> javaCommand(Path log4j, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(MAIN_MARKER + mainClass);
        cmd.add("-Xms256m");
        cmd.add("-Xmx1g");
        cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Whether a command line, as {@link ProcessHandle.Info#commandLine()} reports it (cut at 4,096
     * characters), is that of a broker this class started.
     */
    static boolean isBrokerCommand(String commandLine) {
        return commandLine.contains(MAIN_MARKER + "kafka.Kafka ");
    }

    /** The broker's runtime classpath, as Maven resolved it when this module was built. */
    static String classpath() throws IOException {
        try (InputStream in = LocalKafka.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IOException("broker.classpath is missing: build the wax-kafka-broker module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String serverProperties(Path data, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", data.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        // Few transaction-log partitions: the first transactional producer waits until all are loaded.
        p.setProperty("transaction.state.log.num.partitions", "4");
        // Abort timed-out transactions within a second of their timeout (default: every 10 s).
        p.setProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.segment.bytes", String.valueOf(256 * 1024 * 1024));
        StringBuilder sb = new StringBuilder("# written by io.wax.kafka.broker.LocalKafka\n");
        p.stringPropertyNames().stream().sorted().forEach(k -> sb.append(k).append('=').append(p.getProperty(k))
                .append('\n'));
        return sb.toString();
    }

    private static final String LOG4J2 = """
            status = warn
            appender.out.type = Console
            appender.out.name = out
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.out.ref = out
            logger.kafka.name = kafka
            logger.kafka.level = INFO
            logger.state.name = state.change.logger
            logger.state.level = WARN
            """;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(x);
            }
        }
    }

    private static final class PortTakenException extends IOException {
        PortTakenException(String log) {
            super("a port of the Kafka broker was taken by another process:\n" + log);
        }
    }
}
