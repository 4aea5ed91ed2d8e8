package io.wax.api.window.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values of one key that wait, in an ordered window step, for the watermark to reach their
 * timestamps: kept sorted by timestamp, equal timestamps in arrival order, and taken from the
 * front. Timestamps and values sit in two arrays used as a window {@code [head, tail)}: values
 * mostly arrive in time order, so an insert is usually an append, and an out-of-order one moves
 * only the values after it.
 */
final class Pending<V> {
    private long[] times = new long[4];
    private Object[] values = new Object[4];
    private int head;
    private int tail;

    boolean isEmpty() {
        return head == tail;
    }

    /** The earliest timestamp waiting, or {@code Long.MAX_VALUE}. */
    long firstTime() {
        return head == tail ? Long.MAX_VALUE : times[head];
    }

    /** Adds {@code value} after every value with a timestamp up to {@code time}. */
    void add(long time, V value) {
        if (tail == times.length) {
            makeRoom();
        }
        int at = tail;
        while (at > head && times[at - 1] > time) {
            at--;
        }
        System.arraycopy(times, at, times, at + 1, tail - at);
        System.arraycopy(values, at, values, at + 1, tail - at);
        times[at] = time;
        values[at] = value;
        tail++;
    }

    /** Takes the earliest value; call only if not empty. */
    @SuppressWarnings("unchecked")
    V take() {
        V v = (V) values[head];
        values[head] = null;
        head++;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return v;
    }

    /** Moves the live values to the front, growing the arrays if they are more than half full. */
    private void makeRoom() {
        int n = tail - head;
        if (n * 2 > times.length) {
            long[] t = new long[times.length * 2];
            Object[] v = new Object[values.length * 2];
            System.arraycopy(times, head, t, 0, n);
            System.arraycopy(values, head, v, 0, n);
            times = t;
            values = v;
        } else {
            System.arraycopy(times, head, times, 0, n);
            System.arraycopy(values, head, values, 0, n);
            Arrays.fill(values, n, tail, null);
        }
        head = 0;
        tail = n;
    }

    /** The waiting values in order, for the snapshot. */
    List<WindowState.Pending> snapshot() {
        if (head == tail) {
            return List.of();
        }
        List<WindowState.Pending> out = new ArrayList<>(tail - head);
        for (int i = head; i < tail; i++) {
            out.add(new WindowState.Pending(times[i], values[i]));
        }
        return Collections.unmodifiableList(out);
    }
}
