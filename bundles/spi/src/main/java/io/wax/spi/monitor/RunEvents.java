package io.wax.spi.monitor;

/**
 * Told about a run's epoch closes and snapshots as they happen, on the worker thread that saw
 * them: return quickly and never throw. Given to the engine with
 * {@link io.wax.spi.engine.RunOptions#withEvents}; without it the engine does none of this work.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface RunEvents {
    /**
     * Every step of {@code worker} has closed {@code epoch}, which opened at {@code openedMillis}
     * (wall clock).
     */
    default void epochClosed(String flow, int worker, long epoch, long openedMillis, long closedMillis) {
    }

    /** {@code worker} committed {@code snapshots} snapshots of {@code bytes} bytes, taking {@code nanos}. */
    default void snapshotWritten(String flow, int worker, long frontier, int snapshots, long bytes, long startMillis,
                                 long nanos) {
    }
}
