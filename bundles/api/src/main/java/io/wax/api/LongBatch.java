package io.wax.api;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A batch of {@code long}s held in a {@code long[]}: a {@code List<Long>} that boxes only when
 * asked with {@link #get}. Sources of numbers can emit these, {@link Longs} operators transform
 * them without boxing, and sinks can read them with {@link #getLong}. Like every batch it is
 * immutable once emitted: only its producer adds.
 *
 * <pre>{@code
 * LongBatch b = new LongBatch(3);
 * b.add(1); b.add(2); b.add(3);
 * long sum = 0;
 * for (int i = 0; i < b.size(); i++) sum += b.getLong(i);
 * }</pre>
 */
public final class LongBatch extends AbstractList<Long> implements RandomAccess {
    private long[] values;
    private int size;

    public LongBatch(int capacity) {
        values = new long[Math.max(capacity, 4)];
    }

    /** A batch of the given values, for tests and small sources. */
    public static LongBatch of(long... xs) {
        LongBatch b = new LongBatch(xs.length);
        for (long x : xs) {
            b.add(x);
        }
        return b;
    }

    /** Appends a value; for the batch's producer only. */
    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    @Override
    public boolean add(Long value) {
        add(value.longValue());
        return true;
    }

    public long getLong(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    @Override
    public Long get(int index) {
        return getLong(index);
    }

    @Override
    public int size() {
        return size;
    }
}
