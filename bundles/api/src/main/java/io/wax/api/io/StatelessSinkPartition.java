package io.wax.api.io;

import java.util.List;

/** A worker's writer of a {@link DynamicSink}. */
public interface StatelessSinkPartition<T> extends AutoCloseable {
    void writeBatch(List<T> items) throws Exception;

    /** Called when an epoch closes: a sink that buffers flushes here (at-least-once). */
    default void epochEnd(long epoch) throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
