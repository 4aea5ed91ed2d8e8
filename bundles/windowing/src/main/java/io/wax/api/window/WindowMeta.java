package io.wax.api.window;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A window's bounds, on the {@code meta} stream: emitted when the window opens, when another
 * window merges into it, and when it fires with bounds that changed since the last meta (a
 * growing session). For sliding and tumbling windows the close time is exclusive; for sessions
 * it is the last item's timestamp. Times are kept as epoch milliseconds (one of these is made per
 * window, so it avoids two {@link Instant}s) and shown as instants.
 */
public final class WindowMeta {
    private final long windowId;
    private final long openMillis;
    private final long closeMillis;
    private final List<Long> mergedIds;

    /** @param mergedIds the windows merged into this one so far, in merge order */
    public WindowMeta(long windowId, long openMillis, long closeMillis, List<Long> mergedIds) {
        this.windowId = windowId;
        this.openMillis = openMillis;
        this.closeMillis = closeMillis;
        this.mergedIds = List.copyOf(mergedIds);
    }

    public WindowMeta(long windowId, Instant openTime, Instant closeTime, List<Long> mergedIds) {
        this(windowId, openTime.toEpochMilli(), closeTime.toEpochMilli(), mergedIds);
    }

    public long windowId() {
        return windowId;
    }

    public Instant openTime() {
        return Instant.ofEpochMilli(openMillis);
    }

    public Instant closeTime() {
        return Instant.ofEpochMilli(closeMillis);
    }

    public long openMillis() {
        return openMillis;
    }

    public long closeMillis() {
        return closeMillis;
    }

    /** The windows merged into this one so far, in merge order. */
    public List<Long> mergedIds() {
        return mergedIds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowMeta m && m.windowId == windowId && m.openMillis == openMillis
                && m.closeMillis == closeMillis && m.mergedIds.equals(mergedIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowId, openMillis, closeMillis, mergedIds);
    }

    @Override
    public String toString() {
        return "WindowMeta[windowId=" + windowId + ", openTime=" + openTime() + ", closeTime=" + closeTime()
                + ", mergedIds=" + mergedIds + "]";
    }
}
