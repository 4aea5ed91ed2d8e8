package io.wax.api.io;

import java.util.List;

/**
 * A source made of named partitions, each read by exactly one worker of the cluster. Partitions
 * are assigned deterministically and evenly to the workers; each snapshot records the position
 * after the last item returned, so a resumed run continues exactly there.
 *
 * @param <T> items
 * @param <S> a partition's snapshot (position) type
 */
public non-sealed interface PartitionedSource<T, S> extends Source<T> {
    /** The names of every partition of this source. Must be the same on every worker. */
    List<String> listParts() throws Exception;

    /**
     * Opens one partition.
     *
     * @param resumeState the partition's last snapshot, or {@code null} to start from the beginning
     */
    SourcePartition<T, S> buildPart(WorkerContext ctx, String part, S resumeState) throws Exception;
}
