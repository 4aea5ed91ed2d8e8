package io.wax.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding through a string cache gives equal strings, and the same instance for a repeated key. */
class StringCacheTest {
    private static final CodecRegistry REGISTRY = CodecRegistry.builtIn();

    @Test
    void aRepeatedKeyDecodesToTheSameInstance() {
        StringCache cache = new StringCache(4);
        byte[] bytes = REGISTRY.encode(List.of("apple", "pear", "apple", "apple"));
        List<?> decoded = (List<?>) new ByteReader(REGISTRY, bytes, 0, bytes.length, cache).readObject();
        assertEquals(List.of("apple", "pear", "apple", "apple"), decoded);
        assertSame(decoded.get(0), decoded.get(2));
        assertSame(decoded.get(0), decoded.get(3));
    }

    @Test
    void collidingAndLongStringsStayCorrect() {
        // Two slots only: most of these collide, each hit is checked character by character.
        StringCache cache = new StringCache(1);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            words.add("w" + (i % 37));
        }
        words.add("a string longer than thirty-two characters is never cached");
        words.add("a string longer than thirty-two characters is never cached");
        words.add("é and ÿ are Latin-1");
        words.add("€ is not");
        byte[] bytes = REGISTRY.encode(words);
        List<?> decoded = (List<?>) new ByteReader(REGISTRY, bytes, 0, bytes.length, cache).readObject();
        assertEquals(words, decoded);
        assertNotSame(decoded.get(500), decoded.get(501));
    }

    @Test
    void aMissGivesTheInstanceTheConsumerHoldsAndAdoptReplacesASlot() {
        // The consumer's strings, found by their bytes: far more than the cache's two slots.
        Map<String, String> held = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            String k = new String("k" + i);
            held.put(k, k);
        }
        StringCache.Known known = (buf, off, n, hash) -> {
            String s = new String(buf, off, n, StandardCharsets.ISO_8859_1);
            assertEquals(s.hashCode(), hash, "the hash a Known gets is String.hashCode");
            return held.get(s);
        };
        StringCache cache = new StringCache(1, known);
        List<String> words = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                words.add("k" + i);
            }
        }
        words.add("not held");
        byte[] bytes = REGISTRY.encode(words);
        List<?> decoded = (List<?>) new ByteReader(REGISTRY, bytes, 0, bytes.length, cache).readObject();
        assertEquals(words, decoded);
        for (int i = 0; i < 300; i++) {
            assertSame(held.get(words.get(i)), decoded.get(i), "item " + i);
        }

        // A slot that holds an equal string of its own gives the adopted one after adopt.
        StringCache plain = new StringCache(4);
        byte[] one = REGISTRY.encode("apple");
        Object first = new ByteReader(REGISTRY, one, 0, one.length, plain).readObject();
        String mine = new String("apple");
        assertNotSame(mine, first);
        plain.adopt(mine);
        assertSame(mine, new ByteReader(REGISTRY, one, 0, one.length, plain).readObject());
    }
}
