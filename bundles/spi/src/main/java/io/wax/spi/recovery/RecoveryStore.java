package io.wax.spi.recovery;

import java.util.List;
import java.util.Map;

/**
 * Durable progress of a flow, as bytes: per-key snapshots and per-worker frontiers. The store
 * knows steps, keys, epochs and bytes, never operators or types: the engine encodes state with
 * the flow's codecs before it gets here. An execution resumes at the lowest frontier any worker
 * of the previous execution reached, with every key's latest snapshot taken before that epoch;
 * in-flight data is not stored, inputs rewind to their snapshotted positions and replay.
 *
 * <p>Calls come from worker threads concurrently; implementations must be thread-safe. Worker
 * indexes and counts are global: over every process of a cluster.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface RecoveryStore {
    /**
     * Starts (or joins) execution {@code execution} with {@code workerCount} workers and returns
     * the epoch it resumes at: 1 for an empty store. Every process of a cluster calls this with the
     * same execution id (the cluster's generation); the first call records the execution and its
     * resume epoch before any data flows, later calls with the same id return that same epoch.
     */
    long begin(long execution, int workerCount);

    /**
     * The epoch {@link #begin} would return now, read without writing anything, or {@code -1} when
     * the store cannot tell before {@code begin}. A process of a cluster first checks with every
     * other process that they all resume at the same epoch, and only then begins: a cluster whose
     * processes disagree (they do not see the same store) stops with the store left as it was.
     */
    default long resumeEpoch() {
        return -1;
    }

    /**
     * The latest snapshot, before the resume epoch, of each key of a step that worker
     * {@code workerIndex} of {@code workerCount} owns ({@link #owner}); discarded keys are absent.
     */
    Map<String, byte[]> load(String stepId, int workerCount, int workerIndex);

    /**
     * Like {@link #load} for every key of the step: for partitioned sources and sinks, whose
     * partitions are dealt to workers by name rather than hashed.
     */
    Map<String, byte[]> loadAll(String stepId);

    /**
     * Atomically records a worker's snapshots and its new frontier: every epoch before
     * {@code frontier} is closed at every step of that worker.
     */
    void commit(int worker, long frontier, List<Snapshot> snapshots);

    /**
     * Every worker of every process has committed a frontier of at least {@code frontier}: history
     * before it may be collected. In a cluster a store sees only its own process's commits, so it
     * learns the others' through this (the engine's durable frontier, which only rises).
     */
    default void durable(long frontier) {
    }

    /**
     * The worker, of {@code workerCount}, that owns a state key: the same hash and modulus as
     * keyed exchange ({@code io.wax.api.io.StableHash}), so state resumes on the worker its key's
     * items go to, at any worker count. It is {@link String#hashCode()}, fixed by the Java
     * specification, spread by the MurmurHash3 finaliser.
     */
    static int owner(String key, int workerCount) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, workerCount);
    }
}
