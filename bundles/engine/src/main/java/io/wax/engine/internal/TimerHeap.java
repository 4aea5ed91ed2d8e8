package io.wax.engine.internal;

import java.util.Arrays;

/**
 * The keys of a stateful step that asked for a timer, in a binary min-heap ordered by due time
 * in which each entry knows its position. Moving a key's timer is an in-place sift: no object per
 * request and no stale entries. A window logic under an event clock moves its timer earlier after
 * nearly every batch (each item advances the watermark); with a queue of immutable timers and lazy
 * deletion that cost an allocation per key per batch and let the queue fill with dead timers.
 */
final class TimerHeap {
    /** What the heap orders: a due time in epoch millis and the entry's place in the heap. */
    abstract static class Timed extends KeyTable.Keyed {
        long timerAt = Long.MAX_VALUE;
        int timerIndex = -1;

        Timed(String key) {
            super(key);
        }
    }

    private Timed[] heap = new Timed[16];
    private int size;

    /** Sets an entry's due time, {@code Long.MAX_VALUE} for none, adding, moving or removing it. */
    void set(Timed e, long at) {
        long old = e.timerAt;
        if (at == old) {
            return;
        }
        e.timerAt = at;
        if (at == Long.MAX_VALUE) {
            remove(e);
        } else if (e.timerIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = e;
            e.timerIndex = size;
            size++;
            siftUp(e.timerIndex);
        } else if (at < old) {
            siftUp(e.timerIndex);
        } else {
            siftDown(e.timerIndex);
        }
    }

    /** The earliest due time, or {@code Long.MAX_VALUE}. */
    long first() {
        return size == 0 ? Long.MAX_VALUE : heap[0].timerAt;
    }

    /** Removes and returns the entry due first; its due time is reset to none. */
    Timed poll() {
        Timed e = heap[0];
        e.timerAt = Long.MAX_VALUE;
        remove(e);
        return e;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].timerIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void remove(Timed e) {
        int i = e.timerIndex;
        if (i < 0) {
            return;
        }
        e.timerIndex = -1;
        size--;
        Timed last = heap[size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.timerIndex = i;
            siftDown(i);
            siftUp(last.timerIndex);
        }
    }

    private void siftUp(int i) {
        Timed e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            Timed pe = heap[p];
            if (pe.timerAt <= e.timerAt) {
                break;
            }
            heap[i] = pe;
            pe.timerIndex = i;
            i = p;
        }
        heap[i] = e;
        e.timerIndex = i;
    }

    private void siftDown(int i) {
        Timed e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            Timed ce = heap[c];
            int r = c + 1;
            if (r < size && heap[r].timerAt < ce.timerAt) {
                c = r;
                ce = heap[r];
            }
            if (ce.timerAt >= e.timerAt) {
                break;
            }
            heap[i] = ce;
            ce.timerIndex = i;
            i = c;
        }
        heap[i] = e;
        e.timerIndex = i;
    }
}
