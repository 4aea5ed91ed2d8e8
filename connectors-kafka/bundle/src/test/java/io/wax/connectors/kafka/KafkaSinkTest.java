package io.wax.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.spi.engine.FlowFailedException;
import io.wax.kafka.broker.LocalKafka;
import io.wax.kafka.broker.LocalKafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalKafkaExtension.class)
class KafkaSinkTest {
    @Test
    void roundTripsKeysValuesHeadersPartitionsAndTimestamps(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "sink", 3);
        List<KafkaSinkMessage<String, String>> msgs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            msgs.add(KafkaSinkMessage.of("k" + i, "v" + i).withPartition(i % 3).withTimestamp(1_000_000L + i)
                    .withHeaders(List.of(KafkaHeader.of("i", Integer.toString(i)))));
        }
        Dataflow write = new Dataflow("write");
        write.input("inp", new TestingSource<KafkaSinkMessage<String, String>>(msgs, 17)).output("out", new KafkaSink<>(KafkaSinkConfig
                .builder(List.of(kafka.bootstrap()), topic).serdes(KafkaSerdes.string(), KafkaSerdes.string()).build()));
        Kafkas.run(write, 2);

        TestingSink<KafkaMessage<String, String>> back = new TestingSink<>();
        Dataflow read = new Dataflow("read");
        new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).build()).read(read, "inp").oks().output("out", back);
        Kafkas.run(read, 1);
        List<KafkaMessage<String, String>> got = new ArrayList<>(back.items());
        got.sort(Comparator.comparingLong(KafkaMessage::timestamp));
        assertEquals(300, got.size());
        for (int i = 0; i < 300; i++) {
            KafkaMessage<String, String> m = got.get(i);
            assertEquals("k" + i, m.key());
            assertEquals("v" + i, m.value());
            assertEquals(i % 3, m.partition());
            assertEquals(1_000_000L + i, m.timestamp());
            assertEquals(List.of(KafkaHeader.of("i", Integer.toString(i))), m.headers());
        }
    }

    @Test
    void writesToTheMessagesOwnTopic(LocalKafka kafka) {
        String main = Kafkas.topic(kafka, "sink-main", 1);
        String other = Kafkas.topic(kafka, "sink-other", 1);
        Dataflow write = new Dataflow("write");
        write.input("inp", new TestingSource<KafkaSinkMessage<String, String>>(List.of(
                KafkaSinkMessage.of(null, "a"), KafkaSinkMessage.<String, String>of(null, "b").withTopic(other)))).output("out", new KafkaSink<>(
                KafkaSinkConfig.builder(List.of(kafka.bootstrap()), main)
                        .serdes(KafkaSerdes.string(), KafkaSerdes.string()).build()));
        Kafkas.run(write, 1);
        for (String[] t : new String[][] {{main, "a"}, {other, "b"}}) {
            TestingSink<String> back = new TestingSink<>();
            Dataflow read = new Dataflow("read");
            new KafkaSource<>(Kafkas.strings(kafka, t[0]).tail(false).build()).read(read, "inp").oks()
                    .map("v", KafkaMessage::value).output("out", back);
            Kafkas.run(read, 1);
            assertEquals(List.of(t[1]), back.items());
        }
    }

    @Test
    void unreachableBrokerFailsTheFlowWithinTheTimeout() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Dataflow write = new Dataflow("write");
        write.input("inp", new TestingSource<KafkaSinkMessage<String, String>>(List.of(KafkaSinkMessage.of("k", "v")))).output("out",
                new KafkaSink<>(KafkaSinkConfig.builder(List.of("127.0.0.1:" + port), "t")
                        .serdes(KafkaSerdes.string(), KafkaSerdes.string()).timeout(Duration.ofSeconds(2)).build()));
        long start = System.nanoTime();
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Kafkas.run(write, 1));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 8_000, "failed after " + ms + " ms");
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aMissingTopicFailsTheSinkStepNamingTheTopicWithinTheTimeout(LocalKafka kafka) {
        Dataflow write = new Dataflow("write");
        write.input("inp", new TestingSource<KafkaSinkMessage<String, String>>(List.of(KafkaSinkMessage.of("k", "v"))))
                .output("out", new KafkaSink<>(KafkaSinkConfig.builder(List.of(kafka.bootstrap()), "no-such-topic")
                        .serdes(KafkaSerdes.string(), KafkaSerdes.string()).timeout(Duration.ofSeconds(5)).build()));
        long start = System.nanoTime();
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Kafkas.run(write, 2));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 5_000, "failed after " + ms + " ms");
        assertEquals("write.out", e.stepId());
        assertTrue(e.getMessage().contains("Kafka sink: topic 'no-such-topic' does not exist on brokers ["
                + kafka.bootstrap() + "]; create it first"), e.getMessage());
    }

    @Test
    void malformedBrokerAddressesAreNamed() {
        for (String bad : List.of("not a broker", "127.0.0.1:99999", "localhost", ":9092")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KafkaSinkConfig.builder(List.of(bad), "t").build());
            assertEquals("Kafka sink: broker address '" + bad + "' is not HOST:PORT with a port from 1 to 65535"
                    + " (e.g. 127.0.0.1:9092); give each broker of the list that way", e.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSourceConfig.builder(List.of(bad),
                    List.of("t")).build()).getMessage().startsWith("Kafka source: broker address '" + bad + "'"));
        }
    }

    @Test
    void exactlyOnceNeedsATransactionalIdPrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaSinkConfig
                .builder(List.of("x:1"), "t").guarantee(KafkaSinkConfig.Guarantee.EXACTLY_ONCE).build());
        assertTrue(e.getMessage().contains("transactionalIdPrefix"), e.getMessage());
    }
}
