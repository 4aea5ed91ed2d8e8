package io.wax.spi.engine;

/** One run of a flow, started by {@link Engine#start}. */
@org.osgi.annotation.versioning.ProviderType
public interface Run {
    /**
     * Waits for the run to end. Returns when every input has ended and every step has finished;
     * throws {@link FlowFailedException} when user code failed (in this process or another of the
     * cluster) and {@link FlowAbortedException} when the run was aborted, after every worker of
     * this process has stopped.
     *
     * @throws InterruptedException if the waiting thread is interrupted; the run goes on
     */
    void await() throws InterruptedException;

    /**
     * Stops the run at once, as if its process had crashed: workers stop at their next step
     * boundary, nothing is flushed at end of input. {@link #await} then throws {@link FlowAbortedException}.
     */
    void abort();

    /** Whether every worker of this process has stopped. */
    boolean done();

    /**
     * Stops the run gracefully and returns at once: every input stops polling and closes its open
     * epoch exactly as at a normal epoch close (partition positions are snapshotted when recovery is
     * on), and the run ends once every step on every worker has closed that epoch, so sinks see its
     * {@code epochEnd} and flush. Not end of input: no {@code onEof}, no end-of-input snapshot; a
     * resumed run continues after that epoch. {@link #await} then returns normally.
     */
    default void stop() {
        throw new UnsupportedOperationException("this engine cannot stop a run gracefully");
    }

    /**
     * As {@link #abort()}; a worker still inside user code {@code stuckAfter} later is stuck:
     * {@link #await} stops waiting for it and names its step, worker and stack in its error.
     */
    default void abort(java.time.Duration stuckAfter) {
        abort();
    }

    /**
     * As {@link #stop()}, for a swap of this process ({@code cause}: what is being updated): in a
     * cluster every other process stops after the same epoch too, and learns through
     * {@link #swapStop()} that the cluster is to form again rather than end.
     */
    default void stopForSwap(String cause) {
        stop();
    }

    /**
     * After a graceful stop: the swap it was for, so that this process forms its cluster again and
     * resumes; {@code "process N is swapping: CAUSE"} when another process's swap stopped this run,
     * this process's own cause for {@link #stopForSwap}. Null when the run did not end by a stop, or
     * when a plain {@link #stop()} was asked of this process or of any other (it wins: the cluster is stopping).
     */
    default String swapStop() {
        return null;
    }

    /** The last epoch a graceful {@link #stop()} closed, or -1 when the run did not end that way. */
    default long stoppedAfter() {
        return -1;
    }

    /** This process's live figures of the run; see {@link io.wax.spi.monitor.RunFigures}. */
    default io.wax.spi.monitor.RunFigures figures() {
        return io.wax.spi.monitor.RunFigures.NONE;
    }
}
