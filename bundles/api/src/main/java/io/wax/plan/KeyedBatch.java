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
 *
 * <p>A batch made by {@link #recyclable} may be emptied and filled again by the engine, which
 * then keeps it to exactly one reader at a time: the reader that read it last hands it back
 * ({@link #recycle}) once done with it, instead of leaving it to the collector. A batch that
 * reaches user code, or more than one reader, is {@link #pin pinned} first and never recycled.
 */
public final class KeyedBatch<V> extends AbstractList<KV<V>> implements RandomAccess, PerItem.KeyedNext<V> {
    private String[] keys;
    private Object[] values;
    private int size;
    private boolean recyclable;

    public KeyedBatch(int capacity) {
        keys = new String[Math.max(capacity, 4)];
        values = new Object[keys.length];
    }

    /** A batch the engine may recycle once its one reader has read it. */
    public static <V> KeyedBatch<V> recyclable(int capacity) {
        KeyedBatch<V> b = new KeyedBatch<>(capacity);
        b.recyclable = true;
        return b;
    }

    /** Whether this batch may still be recycled: made so, and never seen by user code or a second reader. */
    public boolean isRecyclable() {
        return recyclable;
    }

    /** Marks this batch as seen by more than its one engine reader: it is never recycled. */
    public void pin() {
        recyclable = false;
    }

    /** Empties a recyclable batch for its next use; for the engine only, once its reader is done. */
    public void recycle() {
        if (!recyclable) {
            throw new IllegalStateException("a batch that is not recyclable was recycled");
        }
        // Let go of the items: a batch waiting in a pool must not keep them alive.
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    /** How many items this batch holds before it grows. */
    public int capacity() {
        return keys.length;
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

    /** Appends an item: a fused chain's keyed last step hands its items here, key and value apart. */
    @Override
    public void accept(String key, V value) {
        add(key, value);
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
