package io.wax.api.io;

import java.time.Instant;
import java.util.List;

/** One open partition of a {@link PartitionedSource}, owned by one worker. */
public interface SourcePartition<T, S> extends AutoCloseable {
    /**
     * The next items, without blocking: possibly an empty list when nothing is ready now, or
     * {@code null} when this partition has ended.
     */
    List<T> nextBatch() throws Exception;

    /**
     * When to call {@link #nextBatch()} next; {@code null} lets the engine decide (at once after a
     * non-empty batch, otherwise after a short back-off that grows while the partition is idle, up
     * to 100 ms). A partition that learns of new data early can call {@link WorkerContext#wake()}.
     */
    default Instant nextAwake() {
        return null;
    }

    /** The position after the last item returned; must be immutable. */
    S snapshot() throws Exception;

    /**
     * Epoch {@code epoch} and every one before it are durable at every worker of every process: a
     * resume will never read their items again, so a source may, say, commit its position to the
     * system it reads. Called on this partition's worker thread, with rising epochs, only when the
     * run has a recovery store; see {@link SinkPartition#epochDurable}.
     */
    default void epochDurable(long epoch) throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
