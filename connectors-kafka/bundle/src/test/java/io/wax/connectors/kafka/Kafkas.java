package io.wax.connectors.kafka;

import io.wax.api.Dataflow;
import io.wax.api.io.WorkerContext;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Helpers shared by the Kafka tests. */
final class Kafkas {
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private Kafkas() {
    }

    /** A fresh topic with {@code partitions} partitions. */
    static String topic(LocalKafka kafka, String name, int partitions) {
        String t = name + "-" + TOPICS.incrementAndGet() + "-t";
        kafka.createTopic(t, partitions);
        return t;
    }

    static KafkaProducer<String, String> producer(LocalKafka kafka) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(), "linger.ms", 0),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends every record and waits until the broker has acknowledged each. */
    static void send(LocalKafka kafka, List<ProducerRecord<String, String>> records) throws Exception {
        try (KafkaProducer<String, String> p = producer(kafka)) {
            for (ProducerRecord<String, String> r : records) {
                p.send(r).get(30, TimeUnit.SECONDS);
            }
        }
    }

    static void run(Dataflow flow, int workers) {
        Runner.run(flow, RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(100)));
    }

    static WorkerContext ctx() {
        return new WorkerContext("test.inp", 0, 1, System.out, System.in, () -> { });
    }

    static KafkaSourceConfig.Builder<String, String> strings(LocalKafka kafka, String... topics) {
        return KafkaSourceConfig.builder(List.of(kafka.bootstrap()), List.of(topics))
                .serdes(KafkaSerdes.string(), KafkaSerdes.string());
    }
}
