package io.wax.spi.engine;

/**
 * A run was stopped before its inputs ended: aborted as if its process had crashed (a testing
 * source's ABORT marker), or stopped by its caller. Nothing was flushed or closed at end of
 * input, and a resumed run continues from the last snapshot.
 */
public final class FlowAbortedException extends RuntimeException {
    public FlowAbortedException(String message) {
        super(message);
    }
}
