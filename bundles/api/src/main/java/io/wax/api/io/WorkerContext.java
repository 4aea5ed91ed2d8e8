package io.wax.api.io;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * What a source or sink learns about the worker that opens it.
 *
 * @param stepId the step's full id, for logs and metrics
 * @param workerIndex this worker's index across the whole cluster
 * @param workerCount the number of workers across the whole cluster
 * @param stdout the run's standard output: the terminal, or the shell session that ran the flow
 * @param stdin the run's standard input
 * @param waker wakes the worker early, for a source whose data arrives on another thread
 */
public record WorkerContext(String stepId, int workerIndex, int workerCount, PrintStream stdout,
                            InputStream stdin, Runnable waker) {
    public void wake() {
        waker.run();
    }
}
