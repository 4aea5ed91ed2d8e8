package io.wax.api.io;

/** A sink written independently by every worker (at-least-once on restart). */
public non-sealed interface DynamicSink<T> extends Sink<T> {
    StatelessSinkPartition<T> build(WorkerContext ctx) throws Exception;
}
