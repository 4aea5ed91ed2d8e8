package io.wax.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka side of {@link LiveKafkaExamTest}, made outside the framework (in Exam's
 * {@code @Configuration}), where kafka-clients is on the class path: a producer that feeds the
 * input topic continuously, and a {@code read_committed} reader of the output topic. The test
 * inside the framework reaches it as a {@code Function<String, Object>} in the system properties
 * (a JDK type, the same class on both sides), so the probe never loads kafka-clients nor imports
 * the connector bundle, whose refresh would otherwise restart the probe too.
 */
final class LiveKafkaFeed {
    static final String PROPERTY = "wax.itests.live.kafka";
    static final String IN = "live-lines";
    static final String OUT = "live-counts";
    static final int PARTITIONS = 2;
    static final int WORDS = 50;

    private LiveKafkaFeed() {
    }

    /** Commands: "start" feeds until "stop", which returns how many lines were sent (one word each); "read" the committed output. */
    static void install(String bootstrap) {
        System.getProperties().put(PROPERTY, commands(bootstrap));
    }

    /** The commands of {@link #install}, for a test that runs its flow outside the framework (ClusterSwapKafkaTest). */
    static Function<String, Object> commands(String bootstrap) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Thread[] feeder = new Thread[1];
        Function<String, Object> commands = command -> {
            switch (command) {
                case "start" -> {
                    feeder[0] = new Thread(() -> feed(bootstrap, stop, sent), "live-kafka-feed");
                    feeder[0].start();
                    return null;
                }
                case "stop" -> {
                    stop.set(true);
                    try {
                        feeder[0].join(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return sent.get();
                }
                case "sent" -> {
                    return sent.get();
                }
                case "read" -> {
                    return read(bootstrap);
                }
                default -> throw new IllegalArgumentException(command);
            }
        };
        return commands;
    }

    /** The word of line i, as the test's expected counts compute it. */
    static String word(long i) {
        return "w" + (i * 7919 % WORDS);
    }

    /** 20 lines every 50 ms, each flushed, until stopped. */
    private static void feed(String bootstrap, AtomicBoolean stop, AtomicLong sent) {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 5,
                "enable.idempotence", true, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            long i = 0;
            while (!stop.get()) {
                for (int k = 0; k < 20; k++, i++) {
                    p.send(new ProducerRecord<>(IN, (int) (i % PARTITIONS), null, word(i)));
                }
                p.flush();
                sent.set(i);
                try {
                    Thread.sleep(50); // the pace of the feed, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The output topic as {@code word=count} strings, read by a read_committed consumer to its stable end. */
    private static List<String> read(String bootstrap) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", bootstrap);
        conf.put("isolation.level", "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(OUT, i));
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
