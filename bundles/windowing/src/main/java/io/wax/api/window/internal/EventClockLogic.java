package io.wax.api.window.internal;

import io.wax.api.window.ClockLogic;
import java.util.function.ToLongFunction;

/**
 * The event clock. It keeps {@code lead}, the largest {@code timestamp - arrival system time} of
 * any item so far; the watermark at system time {@code t} is {@code lead + t - wait}. That is the
 * largest timestamp seen minus the wait plus the time elapsed since it arrived, except that an
 * earlier item that arrived long ago can hold the watermark up: it never goes backwards. The
 * snapshot is {@code lead}, so after a restart the watermark keeps advancing with system time.
 */
public final class EventClockLogic<V> implements ClockLogic<V, Long> {
    private final ToLongFunction<? super V> timestamp;
    private final long wait;
    private boolean seen;
    private long lead;
    private long now;
    private long watermark = Long.MIN_VALUE;

    /** A resumed clock's watermark starts moving at the first batch or notification. */
    public EventClockLogic(ToLongFunction<? super V> timestamp, long wait, Long resume) {
        this.timestamp = timestamp;
        this.wait = wait;
        if (resume != null) {
            seen = true;
            lead = resume;
        }
    }

    @Override
    public void beforeBatch(long nowMillis) {
        now = nowMillis;
    }

    @Override
    public long onItem(V value) {
        long ts = timestamp.applyAsLong(value);
        long l = Sat.sub(ts, now);
        if (!seen || l > lead) {
            seen = true;
            lead = l;
        }
        watermark = Sat.add(lead, now - wait);
        return ts;
    }

    @Override
    public long watermark() {
        return watermark;
    }

    @Override
    public long onNotify(long nowMillis) {
        now = nowMillis;
        if (seen) {
            watermark = Sat.add(lead, now - wait);
        }
        return watermark;
    }

    @Override
    public long systemTimeFor(long target) {
        if (!seen || target == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Sat.add(Sat.sub(target, lead), wait);
    }

    @Override
    public Long snapshot() {
        return seen ? lead : null;
    }
}
