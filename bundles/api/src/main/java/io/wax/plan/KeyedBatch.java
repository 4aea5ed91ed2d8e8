package io.wax.plan;

import io.wax.api.KV;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A batch of keyed items held as two parallel arrays, keys and values. Steps that produce keyed
 * items ({@code key_on}, {@code stateful_batch}) emit these so that no {@link KV} object exists per
 * item unless a consumer asks for one: keyed steps read {@link #key} and {@link #value} directly,
 * and {@link #get} builds a {@code KV} on demand (which the JIT usually eliminates when the caller
 * only reads its fields). Like every batch it is immutable once emitted: only its producer adds.
 */
public final class KeyedBatch<V> extends AbstractList<KV<V>> implements RandomAccess {
    private String[] keys;
    private Object[] values;
    private int size;

    public KeyedBatch(int capacity) {
        keys = new String[Math.max(capacity, 4)];
        values = new Object[keys.length];
    }

    /** Appends an item; for the batch's producer only. */
    public void add(String key, V value) {
        if (key == null) {
            throw new NullPointerException("a keyed item needs a non-null key");
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
    }

    @Override
    public boolean add(KV<V> kv) {
        add(kv.key(), kv.value());
        return true;
    }

    public String key(int index) {
        Objects.checkIndex(index, size);
        return keys[index];
    }

    @SuppressWarnings("unchecked")
    public V value(int index) {
        Objects.checkIndex(index, size);
        return (V) values[index];
    }

    @Override
    public KV<V> get(int index) {
        return new KV<>(key(index), value(index));
    }

    @Override
    public int size() {
        return size;
    }
}
