package io.wax.spi.recovery;

import java.util.List;
import java.util.Map;

/**
 * Durable progress of a flow: per-key snapshots and per-worker frontiers. An execution resumes at
 * the lowest frontier any worker of the previous execution reached, with every key's latest
 * snapshot taken before that epoch; in-flight data is not stored, inputs rewind to their
 * snapshotted positions and replay.
 *
 * <p>Calls come from worker threads concurrently; implementations must be thread-safe.
 */
@org.osgi.annotation.versioning.ProviderType
public interface RecoveryStore {
    /**
     * Starts a new execution with {@code workerCount} workers and returns the epoch it resumes
     * at: 1 for an empty store.
     */
    long begin(int workerCount);

    /** The latest snapshot of each key of a step taken before the resume epoch; discarded keys are absent. */
    Map<String, Object> load(String stepId);

    /**
     * Atomically records a worker's snapshots and its new frontier: every epoch before
     * {@code frontier} is closed at every step of that worker.
     */
    void commit(int worker, long frontier, List<Snapshot> snapshots);
}
