package io.wax.api.io;

/**
 * Where a flow's items come from: either {@link PartitionedSource} (resumable partitions spread
 * over every worker of the cluster) or {@link DynamicSource} (one independent reader per worker).
 */
public sealed interface Source<T> permits PartitionedSource, DynamicSource {
}
