package io.wax.connectors.kafka;

import java.util.List;

/**
 * A failure while reading, emitted (instead of stopping the flow) by a source configured with
 * {@code raiseOnErrors(false)}: a message that could not be deserialised, or an error of the
 * consumer itself (then {@code offset} is -1 and there are no bytes).
 *
 * @param error what went wrong, naming the exception
 * @param key the raw key bytes of the message, or {@code null}
 * @param value the raw value bytes of the message, or {@code null}
 */
public record KafkaError(String topic, int partition, long offset, String error, byte[] key, byte[] value,
                         List<KafkaHeader> headers) implements KafkaItem {
    public KafkaError {
        headers = headers == null || headers.isEmpty() ? List.of() : List.copyOf(headers);
    }

    @Override
    public String toString() {
        return "KafkaError[" + topic + "-" + partition + (offset >= 0 ? "@" + offset : "") + ": " + error + "]";
    }
}
