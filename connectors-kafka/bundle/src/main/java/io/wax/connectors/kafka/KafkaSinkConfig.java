package io.wax.connectors.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The parameters of a {@link KafkaSink}. Build one with {@link #builder}:
 *
 * <pre>{@code
 * KafkaSinkConfig<String, String> conf = KafkaSinkConfig.builder(List.of("127.0.0.1:9092"), "counts")
 *         .serdes(KafkaSerdes.string(), KafkaSerdes.string())
 *         .build();
 * }</pre>
 *
 * @param brokers bootstrap servers
 * @param topic the topic of messages that name none
 * @param keySerde serialises keys
 * @param valueSerde serialises values
 * @param clientConfig extra kafka-clients producer settings ({@code acks}, {@code linger.ms}, security, ...)
 * @param timeout how long a send may block waiting for metadata or buffer space (the producer's
 *     {@code max.block.ms}) before the flow fails (default 10 s)
 * @param guarantee {@link Guarantee#AT_LEAST_ONCE}; {@link Guarantee#EXACTLY_ONCE} is reserved for a
 *     transactional mode committed at epoch close, not available yet
 */
public record KafkaSinkConfig<K, V>(List<String> brokers, String topic, Serde<K> keySerde, Serde<V> valueSerde,
                                    Map<String, Object> clientConfig, Duration timeout, Guarantee guarantee) {
    /** Delivery guarantees of the sink. */
    public enum Guarantee {
        /** Every message written at least once: flushed at every epoch end and at close. */
        AT_LEAST_ONCE,
        /**
         * Reserved: a Kafka transaction per epoch, committed when the epoch's snapshot is durable.
         * Rejected today; see the connector's README for what it needs from the engine.
         */
        EXACTLY_ONCE
    }

    public KafkaSinkConfig {
        if (brokers == null || brokers.isEmpty()) {
            throw new IllegalArgumentException("a Kafka sink needs at least one broker (host:port)");
        }
        io.wax.connectors.kafka.internal.Brokers.check("Kafka sink", brokers);
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a Kafka sink needs a topic");
        }
        if (keySerde == null || valueSerde == null) {
            throw new IllegalArgumentException("a Kafka sink needs a key and a value serde");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            throw new UnsupportedOperationException("the Kafka sink's exactly-once mode is not available yet: it"
                    + " needs the engine to tell sinks when an epoch's snapshot is durable; use AT_LEAST_ONCE");
        }
        if (guarantee == null) {
            guarantee = Guarantee.AT_LEAST_ONCE;
        }
        brokers = List.copyOf(brokers);
        clientConfig = Map.copyOf(clientConfig == null ? Map.of() : clientConfig);
    }

    /** A builder with the defaults: byte-array serdes, 10 s timeout, at-least-once. */
    public static Builder<byte[], byte[]> builder(List<String> brokers, String topic) {
        return new Builder<>(brokers, topic, KafkaSerdes.bytes(), KafkaSerdes.bytes());
    }

    /** Builds a {@link KafkaSinkConfig}. */
    public static final class Builder<K, V> {
        private final List<String> brokers;
        private final String topic;
        private final Serde<K> keySerde;
        private final Serde<V> valueSerde;
        private final Map<String, Object> clientConfig = new LinkedHashMap<>();
        private Duration timeout = KafkaSourceConfig.DEFAULT_TIMEOUT;
        private Guarantee guarantee = Guarantee.AT_LEAST_ONCE;

        private Builder(List<String> brokers, String topic, Serde<K> keySerde, Serde<V> valueSerde) {
            this.brokers = brokers;
            this.topic = topic;
            this.keySerde = keySerde;
            this.valueSerde = valueSerde;
        }

        public <K2, V2> Builder<K2, V2> serdes(Serde<K2> keys, Serde<V2> values) {
            Builder<K2, V2> b = new Builder<>(brokers, topic, keys, values);
            b.clientConfig.putAll(clientConfig);
            b.timeout = timeout;
            b.guarantee = guarantee;
            return b;
        }

        public Builder<K, V> config(String key, Object value) {
            clientConfig.put(key, value);
            return this;
        }

        public Builder<K, V> config(Map<String, ?> settings) {
            clientConfig.putAll(settings);
            return this;
        }

        public Builder<K, V> timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public Builder<K, V> guarantee(Guarantee g) {
            this.guarantee = g;
            return this;
        }

        public KafkaSinkConfig<K, V> build() {
            return new KafkaSinkConfig<>(brokers, topic, keySerde, valueSerde, clientConfig, timeout, guarantee);
        }
    }
}
