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
}
