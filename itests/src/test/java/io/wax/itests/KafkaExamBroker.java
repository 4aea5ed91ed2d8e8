package io.wax.itests;

import io.wax.kafka.broker.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The Kafka broker of {@link KafkaExamTest}, started once per test JVM outside the framework (in
 * Exam's {@code @Configuration}) and stopped when the JVM exits. Only its address crosses into the
 * framework, as a system property; the broker classes never load inside it.
 */
final class KafkaExamBroker {
    static final String IN = "osgi-roundtrip";
    static final String WC_IN = "osgi-wc-lines";
    static final String WC_OUT = "osgi-wc-counts";

    private static LocalKafka kafka;

    private KafkaExamBroker() {
    }

    static synchronized String bootstrap() {
        if (kafka == null) {
            try {
                kafka = LocalKafka.start(Path.of("target/kafka-exam").toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the Kafka broker for the Exam test", e);
            }
            LocalKafka k = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(k::close, "kafka-exam-broker-stop"));
            k.createTopic(IN, 3);
            k.createTopic(WC_IN, 2);
            k.createTopic(WC_OUT, 2);
            k.createTopic(LiveKafkaFeed.IN, LiveKafkaFeed.PARTITIONS);
            k.createTopic(LiveKafkaFeed.OUT, LiveKafkaFeed.PARTITIONS);
        }
        return kafka.bootstrap();
    }
}
