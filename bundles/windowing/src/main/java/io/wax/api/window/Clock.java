package io.wax.api.window;

import io.wax.api.window.internal.EventClockLogic;
import io.wax.api.window.internal.Millis;
import io.wax.api.window.internal.SystemClockLogic;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A sense of time for windowing: builds one {@link ClockLogic} per key from that key's resumed
 * state. Use {@link #system()} or {@link #event}, or implement your own.
 *
 * <pre>{@code
 * Clock<Reading, Long> clock = Clock.event(Reading::time, Duration.ofSeconds(5));
 * }</pre>
 *
 * @param <V> the values timed
 * @param <S> the clock's snapshot type
 */
@FunctionalInterface
public interface Clock<V, S> {
    ClockLogic<V, S> build(S resumeState) throws Exception;

    /** Timestamp = watermark = the system time when the item's batch is handled. Has no state. */
    static <V> Clock<V, Void> system() {
        return resume -> new SystemClockLogic<>();
    }

    /**
     * Timestamps from the items. The watermark is the largest timestamp seen minus {@code wait},
     * plus the system time elapsed since that item arrived; it never goes backwards. At end of
     * input it jumps to +infinity, closing every window.
     */
    static <V> Clock<V, Long> event(Function<? super V, Instant> timestamp, Duration wait) {
        Windowing.need(timestamp, "event clock needs a timestamp getter");
        return eventMillis(v -> timestamp.apply(v).toEpochMilli(), wait);
    }

    /** Like {@link #event}, with timestamps given as epoch milliseconds (no {@link Instant} per item). */
    static <V> Clock<V, Long> eventMillis(ToLongFunction<? super V> timestampMillis, Duration wait) {
        Windowing.need(timestampMillis, "event clock needs a timestamp getter");
        long waitMs = Millis.nonNegative(wait, "event clock wait");
        return resume -> new EventClockLogic<>(timestampMillis, waitMs, resume);
    }
}
