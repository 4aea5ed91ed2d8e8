package io.wax.api.window.internal;

import io.wax.api.window.Clock;
import io.wax.api.window.ClockLogic;

/** Times the tagged values of a window join by their untagged value. */
public record TaggedClock<V>(Clock<V, Object> inner) implements Clock<Tagged, Object> {
    @Override
    public ClockLogic<Tagged, Object> build(Object resumeState) throws Exception {
        ClockLogic<V, Object> c = inner.build(resumeState);
        return new ClockLogic<>() {
            @Override
            public void beforeBatch(long nowMillis) {
                c.beforeBatch(nowMillis);
            }

            @Override
            @SuppressWarnings("unchecked")
            public long onItem(Tagged value) throws Exception {
                return c.onItem((V) value.value());
            }

            @Override
            public long watermark() {
                return c.watermark();
            }

            @Override
            public long onNotify(long nowMillis) {
                return c.onNotify(nowMillis);
            }

            @Override
            public long onEof() {
                return c.onEof();
            }

            @Override
            public long systemTimeFor(long watermark) {
                return c.systemTimeFor(watermark);
            }

            @Override
            public boolean isEmpty() {
                return c.isEmpty();
            }

            @Override
            public Object snapshot() {
                return c.snapshot();
            }
        };
    }
}
