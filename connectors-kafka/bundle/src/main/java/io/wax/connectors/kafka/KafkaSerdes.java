package io.wax.connectors.kafka;

import io.wax.connectors.kafka.internal.Json;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes for the common cases. Any Kafka {@link Serde} works with the source and sink; one serde
 * instance serves every worker, so its (de)serialisers must be thread-safe (Kafka's own are).
 */
public final class KafkaSerdes {
    private KafkaSerdes() {
    }

    /** UTF-8 strings. */
    public static Serde<String> string() {
        return Serdes.String();
    }

    /** Raw bytes, untouched. */
    public static Serde<byte[]> bytes() {
        return Serdes.ByteArray();
    }

    /**
     * JSON text in UTF-8 as plain Java values: objects become {@code Map<String, Object>} (in
     * document order), arrays {@code List<Object>}, numbers {@code Long} when integral and in range,
     * else {@code Double} ({@code BigDecimal} beyond the range of either), and strings,
     * booleans and {@code null} as themselves. Serialising accepts the same types, plus any
     * {@code Number}, {@code Iterable}, array of objects and {@code CharSequence}. Malformed JSON
     * fails with a {@link SerializationException} (which the source turns into a {@link KafkaError}
     * when it does not raise on errors).
     */
    public static Serde<Object> json() {
        Serializer<Object> ser = (topic, data) -> data == null ? null
                : Json.write(data).getBytes(StandardCharsets.UTF_8);
        Deserializer<Object> de = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return Json.parse(new String(data, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SerializationException("not JSON: " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }
}
