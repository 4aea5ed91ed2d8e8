package io.wax.api.io;

/**
 * Where a flow's items go: either {@link PartitionedSink} (keyed items routed to the worker that
 * owns their partition, resumable) or {@link DynamicSink} (one writer per worker).
 */
public sealed interface Sink<T> permits PartitionedSink, DynamicSink {
}
