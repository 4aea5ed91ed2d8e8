package io.wax.connectors.kafka;

import java.util.List;

/**
 * A message read by a {@link KafkaSource}, with its key and value deserialised.
 *
 * @param timestamp the record's timestamp in epoch milliseconds (create or log-append time, as the topic says)
 * @param headers the record's headers in order; empty when there are none
 */
public record KafkaMessage<K, V>(String topic, int partition, long offset, long timestamp, K key, V value,
                                 List<KafkaHeader> headers) implements KafkaItem {
    public KafkaMessage {
        headers = headers == null || headers.isEmpty() ? List.of() : List.copyOf(headers);
    }

    /** The last header named {@code name}, or {@code null}. */
    public KafkaHeader header(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(name)) {
                return headers.get(i);
            }
        }
        return null;
    }
}
