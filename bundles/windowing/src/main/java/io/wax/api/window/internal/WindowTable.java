package io.wax.api.window.internal;

import io.wax.api.window.ClockLogic;
import java.util.Arrays;

/**
 * One key's kept windows, ordered by due time in a binary min-heap that knows each entry's
 * position, so a window whose due time changes moves in O(log n); the heap breaks ties by window
 * id, which makes the firing order a function of the windows alone. The ids sit in an array
 * beside the heap: a key usually keeps a handful of windows, and scanning a few longs touches
 * less memory than hashing. Past {@link #SCAN} windows an open-addressing index (primitive long
 * keys, no boxing) takes over the lookups. A key's window logic extends it, and its arrays start
 * at SCAN entries: allocated together with the logic and never regrown for a handful of windows,
 * they stay next to it in memory. (Keeping due times in a third array, so that ordering the heap
 * would not read the entries, measured slower: 12.6M against 13.5M W3 items/s.)
 */
abstract class WindowTable<E extends WindowTable.Entry, V, W> extends KeyWindows<V, W> {
    /** What the table keeps: an id, a due watermark and the entry's place in the heap. */
    abstract static class Entry {
        final long id;
        long due;
        int heapIndex = -1;

        Entry(long id) {
            this.id = id;
        }
    }

    /** Up to this many windows, lookups scan the ids. */
    static final int SCAN = 8;

    private Entry[] heap = new Entry[SCAN];
    private long[] heapIds = new long[SCAN];
    private int size;
    /** The index, once more than SCAN windows were kept: ids beside their entries. */
    private long[] ids;
    private Entry[] slots;

    WindowTable(ClockLogic<V, Object> clock) {
        super(clock);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    E get(long id) {
        Entry[] s = slots;
        if (s == null) {
            long[] h = heapIds;
            for (int i = 0, n = size; i < n; i++) {
                if (h[i] == id) {
                    return (E) heap[i];
                }
            }
            return null;
        }
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
        if (slots == null && size == SCAN) {
            rehash(4 * SCAN);
        }
        if (slots != null) {
            if ((size + 1) * 2 > slots.length) {
                rehash(slots.length * 2);
            }
            insertSlot(ids, slots, e);
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
            heapIds = Arrays.copyOf(heapIds, size * 2);
        }
        place(e, size);
        size++;
        siftUp(e.heapIndex);
    }

    void remove(E e) {
        if (slots != null) {
            removeSlot(e);
        }
        int i = e.heapIndex;
        size--;
        Entry last = heap[size];
        heap[size] = null;
        e.heapIndex = -1;
        if (i != size) {
            place(last, i);
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

    @Override
    long firstDue() {
        return size == 0 ? Long.MAX_VALUE : heap[0].due;
    }

    @SuppressWarnings("unchecked")
    E at(int i) {
        return (E) heap[i];
    }

    private void place(Entry e, int i) {
        heap[i] = e;
        heapIds[i] = e.id;
        e.heapIndex = i;
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
            place(pe, i);
            i = p;
        }
        place(e, i);
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
            place(ce, i);
            i = c;
        }
        place(e, i);
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
        for (int i = 0; i < size; i++) {
            insertSlot(biggerIds, bigger, heap[i]);
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
