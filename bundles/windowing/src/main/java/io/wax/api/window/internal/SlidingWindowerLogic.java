package io.wax.api.window.internal;

import io.wax.api.window.Windower;
import io.wax.api.window.WindowerLogic;
import java.util.function.LongConsumer;

/**
 * Sliding (and tumbling) windows: window {@code k} covers {@code [alignTo + k*offset, alignTo +
 * k*offset + length)}. Ids are computed with floor division, so any {@code alignTo} works and an
 * item only lands in windows that contain it. Stateless: one instance serves every key.
 */
public final class SlidingWindowerLogic implements WindowerLogic<Void>, Windower<Void> {
    private final long length;
    private final long offset;
    private final long alignTo;

    public SlidingWindowerLogic(long length, long offset, long alignTo) {
        this.length = length;
        this.offset = offset;
        this.alignTo = alignTo;
    }

    /** Its own windower: stateless, one instance serves every key (and says, to the window step, what it is). */
    @Override
    public WindowerLogic<Void> build(Void resume) {
        return this;
    }

    @Override
    public void openFor(long timestamp, long watermark, LongConsumer windows) {
        lateFor(timestamp, windows);
    }

    @Override
    public void lateFor(long timestamp, LongConsumer windows) {
        long last = lastWindow(timestamp);
        for (long k = firstWindow(timestamp, last); k <= last; k++) {
            windows.accept(k);
        }
    }

    /** The first (lowest) window that contains {@code timestamp}, whose last is {@code last}. */
    long firstWindow(long timestamp, long last) {
        return offset == length ? last : Math.floorDiv(timestamp - alignTo - length, offset) + 1;
    }

    /** The last (highest) window that contains {@code timestamp}. */
    long lastWindow(long timestamp) {
        return Math.floorDiv(timestamp - alignTo, offset);
    }

    @Override
    public long openTime(long window) {
        return alignTo + window * offset;
    }

    @Override
    public long closeTime(long window) {
        return alignTo + window * offset + length;
    }

    @Override
    public long closesAt(long window) {
        return closeTime(window);
    }

    @Override
    public Void snapshot() {
        return null;
    }
}
