package io.wax.api.window.internal;

import java.util.Arrays;

/**
 * One key's kept windows: found by id in an open-addressing table of primitive longs (no boxing),
 * and ordered by due time in a binary min-heap that knows each entry's position, so a window
 * whose due time changes moves in O(log n). The heap breaks ties by window id, which makes the
 * firing order a function of the windows alone.
 */
final class WindowTable<E extends WindowTable.Entry> {
    /** What the table keeps: an id, a due watermark and the entry's place in the heap. */
    abstract static class Entry {
        final long id;
        long due;
        int heapIndex = -1;

        Entry(long id) {
            this.id = id;
        }
    }

    /** The table: ids beside their entries, so probing compares longs without touching entries. */
    private long[] ids = new long[8];
    private Entry[] slots = new Entry[8];
    private Entry[] heap = new Entry[4];
    private int size;

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    E get(long id) {
        Entry[] s = slots;
        long[] k = ids;
        int mask = s.length - 1;
        for (int i = hash(id) & mask; ; i = (i + 1) & mask) {
            Entry e = s[i];
            if (e == null || k[i] == id) {
                return (E) e;
            }
        }
    }

    /** Adds an entry whose id is not in the table yet, with its due time set. */
    void add(E e) {
        if ((size + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        insertSlot(ids, slots, e);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.heapIndex = size;
        size++;
        siftUp(e.heapIndex);
    }

    void remove(E e) {
        removeSlot(e);
        int i = e.heapIndex;
        size--;
        Entry last = heap[size];
        heap[size] = null;
        e.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    /** Re-orders an entry after its due time changed. */
    void update(E e, long due) {
        if (due != e.due) {
            long old = e.due;
            e.due = due;
            if (due < old) {
                siftUp(e.heapIndex);
            } else {
                siftDown(e.heapIndex);
            }
        }
    }

    /** The entry due first, or {@code null}. */
    @SuppressWarnings("unchecked")
    E first() {
        return size == 0 ? null : (E) heap[0];
    }

    long firstDue() {
        return size == 0 ? Long.MAX_VALUE : heap[0].due;
    }

    @SuppressWarnings("unchecked")
    E at(int i) {
        return (E) heap[i];
    }

    private static int hash(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static boolean before(Entry a, Entry b) {
        return a.due != b.due ? a.due < b.due : a.id < b.id;
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            Entry pe = heap[p];
            if (!before(e, pe)) {
                break;
            }
            heap[i] = pe;
            pe.heapIndex = i;
            i = p;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            Entry ce = heap[c];
            int r = c + 1;
            if (r < size && before(heap[r], ce)) {
                c = r;
                ce = heap[r];
            }
            if (!before(ce, e)) {
                break;
            }
            heap[i] = ce;
            ce.heapIndex = i;
            i = c;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private static void insertSlot(long[] k, Entry[] s, Entry e) {
        int mask = s.length - 1;
        int i = hash(e.id) & mask;
        while (s[i] != null) {
            i = (i + 1) & mask;
        }
        s[i] = e;
        k[i] = e.id;
    }

    private void rehash(int capacity) {
        long[] biggerIds = new long[capacity];
        Entry[] bigger = new Entry[capacity];
        for (Entry e : slots) {
            if (e != null) {
                insertSlot(biggerIds, bigger, e);
            }
        }
        ids = biggerIds;
        slots = bigger;
    }

    /** Linear-probing deletion: shifts later entries of the cluster back into the hole. */
    private void removeSlot(Entry e) {
        Entry[] s = slots;
        long[] k = ids;
        int mask = s.length - 1;
        int i = hash(e.id) & mask;
        while (s[i] != e) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; s[j] != null; j = (j + 1) & mask) {
            int home = hash(k[j]) & mask;
            // Move slot j into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                s[hole] = s[j];
                k[hole] = k[j];
                hole = j;
            }
        }
        s[hole] = null;
    }
}
