package io.wax.api.window.internal;

import java.util.List;

/**
 * The snapshot of one key of a window step: its clock's and windower's snapshots and each kept
 * window's. Immutable.
 */
public record WindowState(Object clock, Object windower, List<Window> windows) {
    /**
     * One kept window: its logic's snapshot, how often it fired, whether values came since its last
     * firing, the windows merged into it and the bounds last sent on the meta stream.
     */
    public record Window(long id, Object state, int fires, boolean dirty, List<Long> merged, long metaOpen,
                         long metaClose) {
    }
}
