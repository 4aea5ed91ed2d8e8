package io.wax.spi.engine;

/**
 * A run of a cluster stopped because of the cluster itself: another process died or stopped
 * answering, or sent what this process cannot read. Recovery, not the survivors, continues the work.
 */
public final class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message);
    }
}
