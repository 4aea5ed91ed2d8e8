package io.wax.kafka.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The local broker from the command line, for users trying the Kafka connectors:
 *
 * <pre>
 * start              start a broker in the background; prints its bootstrap address, writes broker.pid
 * stop               stop the broker started by 'start' (by the pid in broker.pid)
 * status             print the bootstrap address if the broker runs
 * topic NAME [N]     create a topic with N partitions (default 1)
 * produce TOPIC      send each line of standard input as a message (key\tvalue, or just a value)
 * consume TOPIC [--committed]
 *                    print every message of the topic from the beginning as key\tvalue, then exit;
 *                    with --committed only what committed transactions wrote (read_committed)
 * </pre>
 *
 * The broker lives in the directory named by {@code -Dwax.kafka.dir} (default
 * {@code target/local-kafka}); {@code -Dwax.kafka.port} picks the client port (default: a free one).
 */
public final class LocalKafkaCli {
    private LocalKafkaCli() {
    }

    private static final String USAGE =
            "usage: start | stop | status | topic NAME [PARTITIONS] | produce TOPIC | consume TOPIC [--committed]";

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("wax.kafka.dir", "target/local-kafka")).toAbsolutePath();
        String cmd = args.length == 0 ? "help" : args[0];
        try {
            switch (cmd) {
                case "start" -> start(dir);
                case "stop" -> stop(dir);
                case "status" -> status(dir);
                case "topic" -> topic(dir, arg(args, 1, "topic name"), args.length > 2 ? Integer.parseInt(args[2]) : 1);
                case "produce" -> produce(dir, arg(args, 1, "topic name"));
                case "consume" -> consume(dir, arg(args, 1, "topic name"), committed(args));
                default -> {
                    System.out.println(USAGE);
                    if (!cmd.equals("help")) {
                        System.exit(2);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // a missing name, a partition count that is not a number, an unknown option: say which
            System.err.println("local-kafka " + cmd + ": " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
    }

    /** Whether {@code consume TOPIC [--committed]} asks for committed messages only; anything else there is refused. */
    static boolean committed(String[] args) {
        if (args.length <= 2) {
            return false;
        }
        if (args.length > 3 || !args[2].equals("--committed")) {
            throw new IllegalArgumentException("unknown option " + String.join(" ", List.of(args).subList(2, args.length))
                    + " (consume takes only --committed)");
        }
        return true;
    }

    private static String arg(String[] args, int i, String what) {
        if (args.length <= i) {
            throw new IllegalArgumentException("missing " + what);
        }
        return args[i];
    }

    private static void start(Path dir) throws IOException {
        Optional<ProcessHandle> running = running(dir);
        if (running.isPresent()) {
            System.out.println("already running (pid " + running.get().pid() + ")");
            System.out.println("bootstrap: " + Files.readString(dir.resolve("bootstrap")).trim());
            return;
        }
        int port = Integer.getInteger("wax.kafka.port", 0);
        LocalKafka kafka = LocalKafka.start(dir, port, false);
        Files.writeString(dir.resolve("broker.pid"), kafka.pid() + "\n");
        Files.writeString(dir.resolve("bootstrap"), kafka.bootstrap() + "\n");
        System.out.println("Kafka broker started (pid " + kafka.pid() + ", log " + dir.resolve("broker.log") + ")");
        System.out.println("bootstrap: " + kafka.bootstrap());
    }

    private static void stop(Path dir) throws Exception {
        Optional<ProcessHandle> running = running(dir);
        if (running.isEmpty()) {
            System.out.println("not running");
            return;
        }
        ProcessHandle p = running.get();
        p.destroy();
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(dir.resolve("broker.pid"));
        System.out.println("Kafka broker stopped (pid " + p.pid() + ")");
    }

    private static void status(Path dir) throws IOException {
        Optional<ProcessHandle> running = running(dir);
        if (running.isEmpty()) {
            System.out.println("not running");
            System.exit(1);
        }
        System.out.println("running (pid " + running.get().pid() + "), bootstrap: "
                + Files.readString(dir.resolve("bootstrap")).trim());
    }

    /** The broker process of the pid file, if it still runs and is a Kafka broker (pids get reused). */
    private static Optional<ProcessHandle> running(Path dir) throws IOException {
        Path pidFile = dir.resolve("broker.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(LocalKafka::isBrokerCommand).orElse(true));
    }

    private static String bootstrap(Path dir) throws IOException {
        if (running(dir).isEmpty()) {
            throw new IllegalStateException("no local broker runs in " + dir + ": start one first");
        }
        return Files.readString(dir.resolve("bootstrap")).trim();
    }

    private static void topic(Path dir, String name, int partitions) throws IOException {
        String bootstrap = bootstrap(dir);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name + ": " + e.getMessage(), e);
        }
        System.out.println("created topic " + name + " with " + partitions + " partition(s)");
    }

    private static void produce(Path dir, String topic) throws IOException {
        Map<String, Object> conf = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(dir),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        long n = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(conf);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int tab = line.indexOf('\t');
                String key = tab < 0 ? null : line.substring(0, tab);
                String value = tab < 0 ? line : line.substring(tab + 1);
                producer.send(new ProducerRecord<>(topic, key, value));
                n++;
            }
            producer.flush();
        }
        System.out.println("sent " + n + " message(s) to " + topic);
    }

    private static void consume(Path dir, String topic, boolean committed) throws IOException {
        // read_committed skips what open and aborted transactions wrote, and its end offsets stop
        // at the last stable offset: what an exactly-once sink's reader sees.
        Map<String, Object> conf = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(dir),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(conf)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                tps.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(r.key() + "\t" + r.value());
                }
            }
        }
    }
}
