package io.wax.engine.internal;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A read-only window on part of an array, reused for every key of a batch so that handing a key
 * its values allocates nothing. Only valid during the call it is passed to.
 */
final class Slice extends AbstractList<Object> implements RandomAccess {
    private Object[] items;
    private int from;
    private int size;

    Slice set(Object[] items, int from, int size) {
        this.items = items;
        this.from = from;
        this.size = size;
        return this;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, size);
        return items[from + index];
    }

    @Override
    public int size() {
        return size;
    }
}
