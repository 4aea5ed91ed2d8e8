package io.wax.examples.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.flow.FlowFactory;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.RunOptions;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import io.wax.kafka.broker.LocalKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalKafkaExtension.class)
class KafkaWordCountTest {
    @Test
    void declaresItsParameters() {
        FlowFactory f = new KafkaWordCount();
        assertEquals("kafka-wordcount", f.name());
        assertEquals("[String brokers, String in_topic, String out_topic]", f.params().toString());
    }

    @Test
    void countsTheWordsOfTheInputTopic(LocalKafka kafka) throws Exception {
        kafka.createTopic("wc-lines", 3);
        kafka.createTopic("wc-counts", 2);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                new StringSerializer(), new StringSerializer())) {
            for (String line : List.of("the cat sat", "the dog", "  the cat  ", "")) {
                p.send(new ProducerRecord<>("wc-lines", line)).get(30, TimeUnit.SECONDS);
            }
        }
        Runner.run(KafkaWordCount.flow(kafka.bootstrap(), "wc-lines", "wc-counts", false),
                RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofMillis(100)));

        Map<String, String> latest = new HashMap<>();
        int messages = 0;
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = List.of(new TopicPartition("wc-counts", 0), new TopicPartition("wc-counts", 1));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                List<ConsumerRecord<String, String>> rs = new ArrayList<>();
                c.poll(Duration.ofMillis(200)).forEach(rs::add);
                for (ConsumerRecord<String, String> r : rs) {
                    latest.put(r.key(), r.value());
                    messages++;
                }
            }
        }
        assertEquals(Map.of("the", "3", "cat", "2", "sat", "1", "dog", "1"), latest);
        assertEquals(7, messages, "one running count per word read");
    }

    /** The exactly-once mode: counts in transactions, seen by a read_committed consumer once each. */
    @Test
    void countsExactlyOnceForAReadCommittedConsumer(LocalKafka kafka) throws Exception {
        assertEquals("kafka-wordcount-eos", new KafkaWordCount.ExactlyOnce().name());
        kafka.createTopic("eos-lines", 3);
        kafka.createTopic("eos-counts", 2);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                new StringSerializer(), new StringSerializer())) {
            for (String line : List.of("the cat sat", "the dog", "  the cat  ", "")) {
                p.send(new ProducerRecord<>("eos-lines", line)).get(30, TimeUnit.SECONDS);
            }
        }
        Runner.run(KafkaWordCount.flow(kafka.bootstrap(), "eos-lines", "eos-counts", false, true),
                RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofMillis(100))
                        .withRecovery(new io.wax.engine.InMemoryRecoveryStore()));
        // The run has committed every transaction, but their markers may still be on their way.
        kafka.awaitTransactionsSettled("eos-counts", Duration.ofSeconds(30));
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                "isolation.level", "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = List.of(new TopicPartition("eos-counts", 0), new TopicPartition("eos-counts", 1));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.key() + "=" + r.value()));
            }
        }
        got.sort(null);
        assertEquals(List.of("cat=1", "cat=2", "dog=1", "sat=1", "the=1", "the=2", "the=3"), got);
    }

    /**
     * The walk-through with its output topic not created: the run fails in the sink step, naming
     * the topic, within the default timeout (10 s), and the Kafka clients print at most one warning
     * (the producer used to retry its metadata lookup, warning each time, and the source was blamed).
     */
    @Test
    void aMissingOutputTopicFailsTheSinkStepNamingIt(LocalKafka kafka) throws Exception {
        kafka.createTopic("wc-in", 2);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>("wc-in", "the cat")).get(30, TimeUnit.SECONDS);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        FlowFailedException e;
        long ms;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // slf4j-simple looks System.err up each time
        try {
            long start = System.nanoTime();
            e = assertThrows(FlowFailedException.class, () -> Runner.run(KafkaWordCount.flow(kafka.bootstrap(), "wc-in",
                    "wc-nosuch", true), RunOptions.defaults().withWorkers(2)));
            ms = (System.nanoTime() - start) / 1_000_000;
        } finally {
            System.setErr(stderr);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        System.err.print(printed);
        assertEquals("kafka_wordcount.out", e.stepId(), e.getMessage());
        assertTrue(e.getMessage().contains("Kafka sink: topic 'wc-nosuch' does not exist on brokers [" + kafka.bootstrap()
                + "]; create it first"), e.getMessage());
        assertTrue(ms < KafkaSourceConfig.DEFAULT_TIMEOUT.toMillis(), "failed after " + ms + " ms");
        assertTrue(printed.lines().filter(l -> l.contains("WARN org.apache.kafka")).count() <= 1, printed);
    }
}
