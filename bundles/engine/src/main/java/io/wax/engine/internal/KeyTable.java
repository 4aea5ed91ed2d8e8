package io.wax.engine.internal;

import io.wax.api.codec.StringCache;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-key entries of a stateful step: an open-addressing hash table of entries that carry
 * their own key and hash. A lookup touches the table slot and the entry only, one memory access
 * fewer than a {@code HashMap} (whose node sits between the slot and the value), which matters
 * because this lookup runs once per item and keys are many.
 *
 * <p>Hashes are mixed multiplicatively: {@code String.hashCode} of keys that share a prefix
 * ({@code key-000} ... {@code key-999}) fall in a narrow range, and linear probing over it gave
 * 5.6 probes per lookup instead of 1.4.
 *
 * <p>It is also the {@link StringCache.Known} of the cache that decodes keys from other processes
 * for its step: a decoded key is the instance an entry holds, and {@link #get} matches it by
 * identity instead of comparing characters.
 */
final class KeyTable<E extends KeyTable.Keyed> implements StringCache.Known {
    /** What the table stores: an entry that knows its key and the key's hash. */
    abstract static class Keyed {
        final String key;
        final int hash;

        Keyed(String key) {
            this.key = key;
            this.hash = spread(key.hashCode());
        }
    }

    private Keyed[] slots = new Keyed[64];
    private int size;

    static int spread(int h) {
        int m = h * 0x9E3779B9;
        return m ^ (m >>> 16);
    }

    /**
     * The entry for {@code key}, or null; {@code h} is {@code spread(key.hashCode())}, which the
     * caller computes (stateful_batch hashes a whole batch's keys before looking any up).
     */
    @SuppressWarnings("unchecked")
    E get(String key, int h) {
        Keyed[] t = slots;
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Keyed e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == h && (e.key == key || e.key.equals(key))) {
                return (E) e;
            }
        }
    }

    /** The key of the entry whose key is the Latin-1 bytes {@code buf[off, off + n)}, or null. */
    @Override
    public String find(byte[] buf, int off, int n, int hash) {
        int h = spread(hash);
        Keyed[] t = slots;
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Keyed e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == h && latin1(e.key, buf, off, n)) {
                return e.key;
            }
        }
    }

    private static boolean latin1(String s, byte[] buf, int off, int n) {
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (buf[off + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** Adds an entry whose key is not in the table. */
    void add(E entry) {
        if (2 * (size + 1) > slots.length) {
            resize(slots.length * 2);
        }
        insert(slots, entry);
        size++;
    }

    /** Removes the entry for {@code key}, if any, keeping every other key reachable. */
    void remove(String key) {
        Keyed[] t = slots;
        int mask = t.length - 1;
        int i = spread(key.hashCode()) & mask;
        while (t[i] != null && !t[i].key.equals(key)) {
            i = (i + 1) & mask;
        }
        if (t[i] == null) {
            return;
        }
        t[i] = null;
        size--;
        // Re-insert the rest of the cluster so that no probe sequence is cut short by the hole.
        for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            Keyed e = t[j];
            t[j] = null;
            insert(t, e);
        }
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    List<E> values() {
        List<E> out = new ArrayList<>(size);
        for (Keyed e : slots) {
            if (e != null) {
                out.add((E) e);
            }
        }
        return out;
    }

    void clear() {
        slots = new Keyed[64];
        size = 0;
    }

    private void resize(int capacity) {
        Keyed[] t = new Keyed[capacity];
        for (Keyed e : slots) {
            if (e != null) {
                insert(t, e);
            }
        }
        slots = t;
    }

    private static void insert(Keyed[] t, Keyed e) {
        int mask = t.length - 1;
        int i = e.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }
}
