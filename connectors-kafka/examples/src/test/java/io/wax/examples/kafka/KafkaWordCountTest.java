package io.wax.examples.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.flow.FlowFactory;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import io.wax.kafka.broker.LocalKafkaExtension;
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
}
