package io.wax.engine;

/**
 * A run was aborted as if its process had crashed, by a testing source's ABORT marker: nothing was
 * flushed or closed at end of input, and a resumed run continues from the last snapshot.
 */
public final class FlowAbortedException extends RuntimeException {
    public FlowAbortedException(String message) {
        super(message);
    }
}
