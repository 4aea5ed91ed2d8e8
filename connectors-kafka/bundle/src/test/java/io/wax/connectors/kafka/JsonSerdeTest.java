package io.wax.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
    private final Serde<Object> json = KafkaSerdes.json();

    private Object read(String s) {
        return json.deserializer().deserialize("t", s.getBytes(StandardCharsets.UTF_8));
    }

    private String write(Object o) {
        return new String(json.serializer().serialize("t", o), StandardCharsets.UTF_8);
    }

    @Test
    void readsAndWritesPlainValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("word", "caf\u00e9 \"x\"\n");
        m.put("n", 42L);
        m.put("x", 1.5);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", Arrays.asList(1L, "two", null, List.of()));
        m.put("obj", Map.of());
        String text = write(m);
        assertEquals("{\"word\":\"caf\u00e9 \\\"x\\\"\\n\",\"n\":42,\"x\":1.5,\"ok\":true,\"none\":null,"
                + "\"list\":[1,\"two\",null,[]],\"obj\":{}}", text);
        assertEquals(m, read(text));
        assertEquals(m, read(" { \"word\" : \"caf\\u00e9 \\\"x\\\"\\n\", \"n\": 42, \"x\": 15e-1, \"ok\": true,"
                + " \"none\": null, \"list\": [1, \"two\", null, [ ]], \"obj\": { } } "));
        assertEquals(new java.math.BigInteger("123456789012345678901234567890"),
                ((java.math.BigDecimal) read("123456789012345678901234567890")).toBigInteger());
        assertEquals(-7L, read("-7"));
    }

    @Test
    void rejectsMalformedJson() {
        for (String bad : List.of("{not json", "[1,]", "{\"a\" 1}", "tru", "\"open", "1 2", "", "01x")) {
            assertThrows(SerializationException.class, () -> read(bad), bad);
        }
    }
}
