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
        long len = positiveMillis(length, "tumbling window length");
        return new SlidingWindowerLogic(len, len, Millis.alignTo(alignTo, "tumbling window"));
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
        long len = positiveMillis(length, "sliding window length");
        long off = positiveMillis(offset, "sliding window offset");
        if (off > len) {
            throw new IllegalArgumentException("sliding window offset " + offset + " is longer than its length "
                    + length + ": items between windows would be lost; use an offset <= length");
        }
        return new SlidingWindowerLogic(len, off, Millis.alignTo(alignTo, "sliding window"));
    }

    /**
     * Sessions: items at most {@code gap} apart share a window; an item that bridges
     * two sessions merges them into the one that opened first. The window id is the timestamp
     * (epoch ms) of the session's first item; its meta close time is its last item's timestamp
     * (inclusive). A session closes once the watermark is past its last item plus the gap.
     */
    static Windower<?> session(Duration gap) {
        if (gap == null || gap.isNegative()) {
            throw new IllegalArgumentException("session window gap must be a duration >= 0, got " + gap);
        }
        long g = Millis.of(gap, "session window gap");
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
