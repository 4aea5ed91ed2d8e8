package io.wax.api.window;

/**
 * An item that came too late for its window(s), on the {@code late} stream. A late item appears
 * once per window it would have belonged to; for sessions the id is {@link #LATE_SESSION}.
 */
public record LateItem<V>(long windowId, V value) {
    /**
     * The window id of a late item for session windows, which cannot say which session it missed:
     * -1, as Bytewax's {@code LATE_SESSION_ID} (sessions are numbered from 0).
     */
    public static final long LATE_SESSION = -1;
    /** The window id of a late item that belongs to no known window: {@link #LATE_SESSION}. */
    public static final long NO_WINDOW = LATE_SESSION;
}
