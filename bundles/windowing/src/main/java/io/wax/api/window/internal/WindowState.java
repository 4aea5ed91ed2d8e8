package io.wax.api.window.internal;

import java.util.List;

/**
 * The snapshot of one key of a window step: its clock's and windower's snapshots, each kept
 * window's, and (ordered steps only) the values waiting for the watermark, in the order they will
 * be applied. Immutable.
 */
public record WindowState(Object clock, Object windower, List<Window> windows, List<Pending> pending) {
    /** A key's state with no values waiting. */
    public WindowState(Object clock, Object windower, List<Window> windows) {
        this(clock, windower, windows, List.of());
    }

    /** A value waiting in an ordered step, with its timestamp. */
    public record Pending(long time, Object value) {
    }

    /**
     * One kept window: its logic's snapshot, how often it fired, whether values came since its last
     * firing, the windows merged into it and the bounds last sent on the meta stream.
     */
    public record Window(long id, Object state, int fires, boolean dirty, List<Long> merged, long metaOpen,
                         long metaClose) {
    }
}
