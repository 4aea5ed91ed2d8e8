package io.wax.api.window.internal;

import io.wax.api.window.ClockLogic;

/** Timestamp = watermark = the system time of the batch. */
public final class SystemClockLogic<V> implements ClockLogic<V, Void> {
    private long now = Long.MIN_VALUE;

    @Override
    public void beforeBatch(long nowMillis) {
        now = nowMillis;
    }

    @Override
    public long onItem(V value) {
        return now;
    }

    @Override
    public long watermark() {
        return now;
    }

    @Override
    public long onNotify(long nowMillis) {
        now = nowMillis;
        return now;
    }

    @Override
    public long systemTimeFor(long watermark) {
        return watermark;
    }

    @Override
    public boolean isEmpty() {
        return true;
    }

    @Override
    public Void snapshot() {
        return null;
    }
}
