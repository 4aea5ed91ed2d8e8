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
 * @param guarantee {@link Guarantee#AT_LEAST_ONCE} (the default) or {@link Guarantee#EXACTLY_ONCE}
 * @param transactionalIdPrefix exactly-once only, required there: the start of every
 *     {@code transactional.id} the sink uses ({@code prefix-partition-slot}); unique per flow and
 *     sink, and the same across runs of one flow (a resumed run commits and aborts by it)
 * @param restartAllowance exactly-once only: how long a crashed flow may take to be resumed; a
 *     transaction staged at a snapshot must outlive the snapshot interval plus this, so
 *     {@code transaction.timeout.ms} must be longer (default 1 min)
 */
public record KafkaSinkConfig<K, V>(List<String> brokers, String topic, Serde<K> keySerde, Serde<V> valueSerde,
                                    Map<String, Object> clientConfig, Duration timeout, Guarantee guarantee,
                                    String transactionalIdPrefix, Duration restartAllowance) {
    /** Delivery guarantees of the sink. */
    public enum Guarantee {
        /** Every message written at least once: flushed at every epoch end and at close. */
        AT_LEAST_ONCE,
        /**
         * A Kafka transaction per sink partition per snapshot, committed once the snapshot is
         * durable at every worker; needs recovery ({@code -r}), a transactional id prefix, and
         * consumers that read with {@code isolation.level=read_committed}. Write with
         * {@link KafkaSink#write}.
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
        if (guarantee == null) {
            guarantee = Guarantee.AT_LEAST_ONCE;
        }
        if (restartAllowance == null) {
            restartAllowance = DEFAULT_RESTART_ALLOWANCE;
        }
        if (restartAllowance.isNegative()) {
            throw new IllegalArgumentException("restartAllowance must not be negative, got " + restartAllowance);
        }
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
                throw new IllegalArgumentException("an exactly-once Kafka sink needs a transactional id prefix:"
                        + " call transactionalIdPrefix(\"...\") on its builder with a name unique to this flow and sink"
                        + " (for example \"<flow>.<step>\"), the same in every run of the flow");
            }
            if (clientConfig != null && clientConfig.containsKey("transactional.id")) {
                throw new IllegalArgumentException("an exactly-once Kafka sink sets transactional.id itself"
                        + " (prefix-partition-slot): remove it from config(...) and use transactionalIdPrefix");
            }
        }
        brokers = List.copyOf(brokers);
        clientConfig = Map.copyOf(clientConfig == null ? Map.of() : clientConfig);
    }

    /** The default {@code restartAllowance}. */
    public static final Duration DEFAULT_RESTART_ALLOWANCE = Duration.ofMinutes(1);

    /**
     * The {@code transaction.timeout.ms} an exactly-once sink asks for when the config sets none:
     * 15 minutes, the broker's default {@code transaction.max.timeout.ms}.
     */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

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
        private String prefix;
        private Duration restartAllowance = DEFAULT_RESTART_ALLOWANCE;

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
            b.prefix = prefix;
            b.restartAllowance = restartAllowance;
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

        /** Exactly-once: the start of the sink's transactional ids; unique per flow and sink, stable across runs. */
        public Builder<K, V> transactionalIdPrefix(String p) {
            this.prefix = p;
            return this;
        }

        /** Exactly-once: how long a crashed flow may take to be resumed (default 1 min). */
        public Builder<K, V> restartAllowance(Duration d) {
            this.restartAllowance = d;
            return this;
        }

        public KafkaSinkConfig<K, V> build() {
            return new KafkaSinkConfig<>(brokers, topic, keySerde, valueSerde, clientConfig, timeout, guarantee,
                    prefix, restartAllowance);
        }
    }
}
