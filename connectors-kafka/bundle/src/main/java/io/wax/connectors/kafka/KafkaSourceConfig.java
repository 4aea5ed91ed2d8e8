package io.wax.connectors.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The parameters of a {@link KafkaSource}. Build one with {@link #builder}:
 *
 * <pre>{@code
 * KafkaSourceConfig<String, String> conf = KafkaSourceConfig.builder(List.of("127.0.0.1:9092"), List.of("lines"))
 *         .serdes(KafkaSerdes.string(), KafkaSerdes.string())
 *         .startOffset(StartOffset.beginning())
 *         .tail(false)
 *         .build();
 * }</pre>
 *
 * @param brokers bootstrap servers, {@code host:port}
 * @param topics the topics to read; every partition of each becomes a Wax partition {@code topic-N}
 * @param keySerde deserialises keys ({@code null} keys stay {@code null})
 * @param valueSerde deserialises values
 * @param batchSize the most messages one poll of a partition returns (default 1000)
 * @param startOffset where partitions without resume state start (default: the beginning)
 * @param tail whether to keep waiting for new messages (default); {@code false} ends each partition
 *     at the end offset it had when the partition was opened
 * @param clientConfig extra kafka-clients consumer settings (security, fetch sizes, ...); the
 *     connector's own settings ({@code enable.auto.commit=false}, {@code max.poll.records}, no
 *     {@code group.id}) win
 * @param raiseOnErrors whether an error stops the flow (default) or becomes a {@link KafkaError} item
 * @param timeout how long metadata calls (listing partitions, finding start and end offsets) may
 *     take before the source fails: an unreachable broker fails the flow after this (default 10 s)
 * @param maxIdleWait the longest pause between polls while a worker's partitions have no new
 *     messages (default 20 ms): after 10 empty polls in a row, each waiting up to 1 ms, polls back
 *     off from 2 ms up to this, one poll per pause however many partitions the worker reads
 */
public record KafkaSourceConfig<K, V>(List<String> brokers, List<String> topics, Serde<K> keySerde,
                                      Serde<V> valueSerde, int batchSize, StartOffset startOffset, boolean tail,
                                      Map<String, Object> clientConfig, boolean raiseOnErrors, Duration timeout,
                                      Duration maxIdleWait) {
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_IDLE_WAIT = Duration.ofMillis(20);

    public KafkaSourceConfig {
        if (brokers == null || brokers.isEmpty()) {
            throw new IllegalArgumentException("a Kafka source needs at least one broker (host:port)");
        }
        io.wax.connectors.kafka.internal.Brokers.check("Kafka source", brokers);
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("a Kafka source needs at least one topic");
        }
        if (keySerde == null || valueSerde == null) {
            throw new IllegalArgumentException("a Kafka source needs a key and a value serde");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (startOffset == null) {
            throw new IllegalArgumentException("startOffset may not be null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxIdleWait == null || maxIdleWait.isNegative()) {
            throw new IllegalArgumentException("maxIdleWait may not be negative, got " + maxIdleWait);
        }
        brokers = List.copyOf(brokers);
        topics = List.copyOf(topics);
        clientConfig = Map.copyOf(clientConfig == null ? Map.of() : clientConfig);
    }

    /** A builder with the defaults: byte-array serdes, batches of 1000, from the beginning, tailing, raising. */
    public static Builder<byte[], byte[]> builder(List<String> brokers, List<String> topics) {
        return new Builder<>(brokers, topics, KafkaSerdes.bytes(), KafkaSerdes.bytes());
    }

    /** Builds a {@link KafkaSourceConfig}. */
    public static final class Builder<K, V> {
        private final List<String> brokers;
        private final List<String> topics;
        private final Serde<K> keySerde;
        private final Serde<V> valueSerde;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private StartOffset startOffset = StartOffset.beginning();
        private boolean tail = true;
        private final Map<String, Object> clientConfig = new LinkedHashMap<>();
        private boolean raiseOnErrors = true;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration maxIdleWait = DEFAULT_MAX_IDLE_WAIT;

        private Builder(List<String> brokers, List<String> topics, Serde<K> keySerde, Serde<V> valueSerde) {
            this.brokers = brokers;
            this.topics = topics;
            this.keySerde = keySerde;
            this.valueSerde = valueSerde;
        }

        /** Sets the key and value serdes (the rest of the settings is kept). */
        public <K2, V2> Builder<K2, V2> serdes(Serde<K2> keys, Serde<V2> values) {
            Builder<K2, V2> b = new Builder<>(brokers, topics, keys, values);
            b.batchSize = batchSize;
            b.startOffset = startOffset;
            b.tail = tail;
            b.clientConfig.putAll(clientConfig);
            b.raiseOnErrors = raiseOnErrors;
            b.timeout = timeout;
            b.maxIdleWait = maxIdleWait;
            return b;
        }

        public Builder<K, V> batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        public Builder<K, V> startOffset(StartOffset s) {
            this.startOffset = s;
            return this;
        }

        public Builder<K, V> tail(boolean t) {
            this.tail = t;
            return this;
        }

        /** Adds one kafka-clients consumer setting. */
        public Builder<K, V> config(String key, Object value) {
            this.clientConfig.put(key, value);
            return this;
        }

        public Builder<K, V> config(Map<String, ?> settings) {
            this.clientConfig.putAll(settings);
            return this;
        }

        public Builder<K, V> raiseOnErrors(boolean r) {
            this.raiseOnErrors = r;
            return this;
        }

        public Builder<K, V> timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public Builder<K, V> maxIdleWait(Duration d) {
            this.maxIdleWait = d;
            return this;
        }

        public KafkaSourceConfig<K, V> build() {
            return new KafkaSourceConfig<>(brokers, topics, keySerde, valueSerde, batchSize, startOffset, tail,
                    clientConfig, raiseOnErrors, timeout, maxIdleWait);
        }
    }
}
