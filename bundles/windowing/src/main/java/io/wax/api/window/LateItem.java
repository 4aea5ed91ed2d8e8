package io.wax.api.window;

/**
 * An item that came too late for its window(s), on the {@code late} stream. A late item appears
 * once per window it would have belonged to; for sessions the id is {@link #NO_WINDOW}.
 */
public record LateItem<V>(long windowId, V value) {
    /** The window id of a late item that belongs to no known window. */
    public static final long NO_WINDOW = Long.MIN_VALUE;
}
