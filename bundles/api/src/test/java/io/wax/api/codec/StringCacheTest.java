package io.wax.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
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
}
