package io.wax.plan;

/**
 * Thrown from a step to end the run at once, as if the process had crashed: nothing is flushed at
 * end of input, so the next run with the same recovery store resumes from its last snapshots.
 * The engine reports it as an abort, not as a failure of user code. {@code TestingSource}'s
 * {@code ABORT} marker throws a subclass.
 */
public class AbortRun extends RuntimeException {
    public AbortRun(String message) {
        super(message);
    }
}
