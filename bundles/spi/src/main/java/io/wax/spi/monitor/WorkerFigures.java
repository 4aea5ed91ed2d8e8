package io.wax.spi.monitor;

/** One worker thread of this process, with the same threading rules as {@link StepFigures}. */
@org.osgi.annotation.versioning.ProviderType
public interface WorkerFigures {
    /** The worker's index over the whole cluster. */
    int worker();

    /** The epoch open at this worker's inputs, or -1 once they have all ended. */
    long epoch();

    /** The lowest epoch a step of this worker has not yet closed. */
    long frontier();

    /** Items that arrived at this worker and are not yet processed. */
    long inboxDepth();

    /** Time this worker's inputs were held back because some worker's inbox was full. */
    long backpressureNanos();

    /** Snapshot commits written by this worker (0 without recovery). */
    long snapshots();

    /** Bytes of state in those commits. */
    long snapshotBytes();

    /** Time spent writing them. */
    long snapshotNanos();
}
