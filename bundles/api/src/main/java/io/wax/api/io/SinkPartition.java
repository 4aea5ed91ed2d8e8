package io.wax.api.io;

import java.util.List;

/** One open partition of a {@link PartitionedSink}. */
public interface SinkPartition<V, S> extends AutoCloseable {
    void writeBatch(List<V> values) throws Exception;

    /** Called when an epoch closes, before the partition is snapshotted: flush here. */
    default void epochEnd(long epoch) throws Exception {
    }

    S snapshot() throws Exception;

    @Override
    default void close() throws Exception {
    }
}
