package io.wax.api.io;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * What a source or sink learns about the worker that opens it.
 *
 * @param stepId the step's full id, for logs and metrics
 * @param workerIndex this worker's index across the whole cluster
 * @param workerCount the number of workers across the whole cluster
 * @param stdout the run's standard output: the terminal, or the shell session that ran the flow
 * @param stdin the run's standard input
 * @param waker wakes the worker early, for a source whose data arrives on another thread
 * @param recovery whether the run has a recovery store (snapshots, {@code epochDurable} signals)
 * @param snapshotInterval the time between two snapshots (the epoch interval times the epochs a
 *     snapshot period spans), or {@code null} without recovery: an exactly-once sink checks that
 *     what it stages survives that long
 */
public record WorkerContext(String stepId, int workerIndex, int workerCount, PrintStream stdout,
                            InputStream stdin, Runnable waker, boolean recovery, Duration snapshotInterval) {
    /** A context of a run without recovery. */
    public WorkerContext(String stepId, int workerIndex, int workerCount, PrintStream stdout, InputStream stdin,
                         Runnable waker) {
        this(stepId, workerIndex, workerCount, stdout, stdin, waker, false, null);
    }

    public void wake() {
        waker.run();
    }
}
