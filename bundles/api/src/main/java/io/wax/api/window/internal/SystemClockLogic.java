package io.wax.api.window.internal;

import io.wax.api.window.ClockLogic;

/** Timestamp = watermark = the system time, read once per batch. */
public final class SystemClockLogic<V> implements ClockLogic<V, Void> {
    private long now = System.currentTimeMillis();

    @Override
    public void beforeBatch() {
        now = System.currentTimeMillis();
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
    public long onNotify() {
        now = System.currentTimeMillis();
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
