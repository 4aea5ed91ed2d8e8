package io.wax.connectors.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One Kafka record header: a name and raw bytes (which may be {@code null}). */
public record KafkaHeader(String key, byte[] value) {
    public KafkaHeader {
        if (key == null) {
            throw new IllegalArgumentException("a Kafka header needs a name");
        }
    }

    /** A header whose value is a UTF-8 string. */
    public static KafkaHeader of(String key, String value) {
        return new KafkaHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value decoded as UTF-8, or {@code null}. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaHeader h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + valueAsString();
    }
}
