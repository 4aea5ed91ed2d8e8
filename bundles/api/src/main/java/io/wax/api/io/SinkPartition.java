package io.wax.api.io;

import java.util.List;

/** One open partition of a {@link PartitionedSink}. */
public interface SinkPartition<V, S> extends AutoCloseable {
    void writeBatch(List<V> values) throws Exception;

    /** Called when an epoch closes, before the partition is snapshotted: flush here. */
    default void epochEnd(long epoch) throws Exception {
    }

    S snapshot() throws Exception;

    /**
     * Epoch {@code epoch} and every one before it are durable: every worker of every process has
     * committed their snapshots and frontier to the recovery store, so no resume will replay them
     * (Flink's {@code notifyCheckpointComplete}). An exactly-once sink commits here what it staged
     * for those epochs. Called on this partition's worker thread, with rising epochs, after the
     * {@link #epochEnd} and {@link #snapshot} of those epochs, and only when the run has a recovery
     * store. At the end of a run it comes before {@link #close}; a partition closed without it (a
     * failure, a kill) must not commit what it staged: the resumed run owns that.
     */
    default void epochDurable(long epoch) throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
