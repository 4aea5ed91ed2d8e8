package io.wax.spi.monitor;

/**
 * What the runtime tells about each run, when a monitor is active (the observability bundle):
 * it serves the run's figures on its metrics port and lists it in {@code wax:status}.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface FlowMonitor {
    /**
     * Starts watching a run that is about to start; its {@link RunningFlow#figures()} are empty
     * until it has. Opens the flow's metrics port, if it has one.
     *
     * @throws IllegalArgumentException when the port cannot be served; the message, one
     *         paragraph, names the port and what to do
     */
    void watch(RunningFlow flow);

    /** What the engine should tell about epoch closes and snapshots, or {@code null} for nothing. */
    RunEvents events();
}
