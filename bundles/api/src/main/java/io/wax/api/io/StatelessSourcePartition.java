package io.wax.api.io;

import java.time.Instant;
import java.util.List;

/** A worker's reader of a {@link DynamicSource}; same contract as {@link SourcePartition}. */
public interface StatelessSourcePartition<T> extends AutoCloseable {
    /** The next items, possibly none, or {@code null} at the end. Must not block. */
    List<T> nextBatch() throws Exception;

    default Instant nextAwake() {
        return null;
    }

    @Override
    default void close() throws Exception {
    }
}
