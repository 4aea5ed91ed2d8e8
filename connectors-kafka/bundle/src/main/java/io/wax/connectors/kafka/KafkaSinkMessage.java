package io.wax.connectors.kafka;

import java.util.List;

/**
 * A message for a {@link KafkaSink}.
 *
 * @param key the key, or {@code null} (then the producer's partitioner spreads messages)
 * @param value the value, or {@code null} (a tombstone)
 * @param topic the topic, or {@code null} for the sink's topic
 * @param partition the partition, or {@code null} to let the producer pick it from the key
 * @param timestamp epoch milliseconds, or {@code null} for the producer's clock
 * @param headers headers, in order
 */
public record KafkaSinkMessage<K, V>(K key, V value, String topic, Integer partition, Long timestamp,
                                     List<KafkaHeader> headers) {
    public KafkaSinkMessage {
        headers = headers == null || headers.isEmpty() ? List.of() : List.copyOf(headers);
    }

    public static <K, V> KafkaSinkMessage<K, V> of(K key, V value) {
        return new KafkaSinkMessage<>(key, value, null, null, null, List.of());
    }

    public KafkaSinkMessage<K, V> withTopic(String t) {
        return new KafkaSinkMessage<>(key, value, t, partition, timestamp, headers);
    }

    public KafkaSinkMessage<K, V> withPartition(Integer p) {
        return new KafkaSinkMessage<>(key, value, topic, p, timestamp, headers);
    }

    public KafkaSinkMessage<K, V> withTimestamp(Long t) {
        return new KafkaSinkMessage<>(key, value, topic, partition, t, headers);
    }

    public KafkaSinkMessage<K, V> withHeaders(List<KafkaHeader> h) {
        return new KafkaSinkMessage<>(key, value, topic, partition, timestamp, h);
    }
}
