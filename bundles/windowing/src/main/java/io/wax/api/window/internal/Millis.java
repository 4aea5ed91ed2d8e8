package io.wax.api.window.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Durations and instants as the epoch milliseconds windows work in. A duration that milliseconds
 * cannot hold exactly is rejected rather than truncated: a sliding offset of 10.9 ms truncated to
 * 10 ms passed the offset-longer-than-length check, and an allowed lateness under 1 ms silently
 * became none.
 */
public final class Millis {
    /**
     * How far from 1970 an {@code alignTo} may be: about 73 million years either way, so that
     * {@code timestamp - alignTo} cannot overflow for any timestamp within as much again.
     */
    static final long ALIGN_LIMIT = Long.MAX_VALUE / 4;

    private Millis() {
    }

    /** {@code d} in milliseconds; {@code what} names it in the error ("sliding window offset"). */
    public static long of(Duration d, String what) {
        if (d == null) {
            throw new IllegalArgumentException(what + " must be a duration, got null");
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(what + " " + d + " is not a whole number of milliseconds, which is"
                    + " what window times are counted in; " + roundings(d));
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " " + d + " is too long to count in milliseconds");
        }
    }

    /** The whole milliseconds either side of {@code d}, as advice; the caller knows which it meant. */
    private static String roundings(Duration d) {
        try {
            long below = Math.addExact(Math.multiplyExact(d.getSeconds(), 1000L), d.getNano() / 1_000_000);
            return "use Duration.ofMillis(" + below + ") or Duration.ofMillis(" + Math.addExact(below, 1) + ")";
        } catch (ArithmeticException e) {
            return "use a whole number of milliseconds";
        }
    }

    /** Like {@link #of}, for a duration that must not be negative (a gap, a wait, an allowance). */
    public static long nonNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be a duration >= 0, got " + d);
        }
        return of(d, what);
    }

    /**
     * {@code t} in epoch milliseconds, rounded down (aligning to a whole millisecond is harmless,
     * and {@code Instant.now()} has finer precision); {@code what} names it in the error.
     */
    public static long alignTo(Instant t, String what) {
        if (t == null) {
            throw new IllegalArgumentException(what + " needs an alignTo instant, got null");
        }
        long ms;
        try {
            ms = t.toEpochMilli();
        } catch (ArithmeticException e) {
            ms = Long.MAX_VALUE;
        }
        if (ms > ALIGN_LIMIT || ms < -ALIGN_LIMIT) {
            throw new IllegalArgumentException(what + " alignTo " + t + " is too far from 1970 (the limit is about"
                    + " 73 million years either way); any window start works, e.g. Instant.EPOCH");
        }
        return ms;
    }
}
