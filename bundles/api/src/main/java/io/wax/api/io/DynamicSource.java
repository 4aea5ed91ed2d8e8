package io.wax.api.io;

/**
 * A source read independently by every worker, with no resume state (at-most-once on restart).
 */
public non-sealed interface DynamicSource<T> extends Source<T> {
    StatelessSourcePartition<T> build(WorkerContext ctx) throws Exception;
}
