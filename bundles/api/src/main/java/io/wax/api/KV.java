package io.wax.api;

import java.util.Objects;

/**
 * A keyed item: the element type of a {@link KeyedStream}. Keyed steps route each item to the
 * worker that owns its key.
 */
public record KV<V>(String key, V value) {
    public KV {
        Objects.requireNonNull(key, "a keyed item needs a non-null key");
    }

    public static <V> KV<V> of(String key, V value) {
        return new KV<>(key, value);
    }
}
