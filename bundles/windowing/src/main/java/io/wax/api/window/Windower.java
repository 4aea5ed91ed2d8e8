package io.wax.api.window;

import io.wax.api.window.internal.Millis;
import io.wax.api.window.internal.SessionWindowerLogic;
import io.wax.api.window.internal.SlidingWindowerLogic;
import java.time.Duration;
import java.time.Instant;

/**
 * What windows an item falls in: builds one {@link WindowerLogic} per key from that key's resumed
 * state. Use {@link #tumbling}, {@link #sliding}, {@link #session}, or implement your own.
 *
 * <pre>{@code
 * Windower<?> hourly = Windower.tumbling(Duration.ofHours(1), Instant.parse("2024-01-01T00:00:00Z"));
 * Windower<?> overlapping = Windower.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5), Instant.EPOCH);
 * Windower<?> visits = Windower.session(Duration.ofMinutes(30));
 * }</pre>
 *
 * @param <S> the snapshot type
 */
@FunctionalInterface
public interface Windower<S> {
    WindowerLogic<S> build(S resumeState) throws Exception;

    /**
     * Back-to-back windows of {@code length}, one of them starting at {@code alignTo}. The window
     * id is the number of lengths from {@code alignTo} to the window's open time. A sliding window
     * whose offset is its length; the same rules for {@code length} and {@code alignTo}.
     */
    static Windower<Void> tumbling(Duration length, Instant alignTo) {
        return sliding("tumbling window", length, length, alignTo);
    }

    /**
     * Windows of {@code length} opening every {@code offset}, one of them at {@code alignTo};
     * open times inclusive, close times exclusive. An offset longer than the length would leave
     * gaps and is rejected. The window id is the number of offsets from {@code alignTo} to the
     * window's open time, computed arithmetically (an {@code alignTo} far in the past costs
     * nothing). Window times are epoch milliseconds: {@code length} and {@code offset} must be
     * whole milliseconds, and {@code alignTo} is rounded down to one and must lie within about 73
     * million years of 1970.
     */
    static Windower<Void> sliding(Duration length, Duration offset, Instant alignTo) {
        return sliding("sliding window", length, offset, alignTo);
    }

    /** Sliding windows; {@code kind} names them in errors, so that a tumbling window's say "tumbling". */
    private static Windower<Void> sliding(String kind, Duration length, Duration offset, Instant alignTo) {
        long len = positiveMillis(length, kind + " length");
        long off = positiveMillis(offset, kind + " offset");
        if (off > len) {
            throw new IllegalArgumentException(kind + " offset " + offset + " is longer than its length "
                    + length + ": items between windows would be lost; use an offset <= length");
        }
        return new SlidingWindowerLogic(len, off, Millis.alignTo(alignTo, kind));
    }

    /**
     * Sessions: items at most {@code gap} apart share a window; an item that bridges two
     * sessions merges the one that starts later into the one that starts earlier. A key's
     * sessions are numbered 0, 1, 2, ... in the order they open (as in Bytewax; with ordered
     * windows that is timestamp order); a merge is reported as (merged id, surviving id), and the
     * survivor's meta lists the merged ids. Its meta close time is its last item's timestamp
     * (inclusive). A session closes once the watermark is past its last item plus the gap.
     */
    static Windower<?> session(Duration gap) {
        long g = Millis.nonNegative(gap, "session window gap");
        Windower<SessionWindowerLogic.State> sessions = resume -> new SessionWindowerLogic(g, resume);
        return sessions;
    }

    private static long positiveMillis(Duration d, String what) {
        long ms = Millis.of(d, what);
        if (ms <= 0) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, got " + d);
        }
        return ms;
    }
}
