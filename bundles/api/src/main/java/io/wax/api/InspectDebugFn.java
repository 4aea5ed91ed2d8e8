package io.wax.api;

/** Observes an item together with the epoch it belongs to and the worker that sees it. */
@FunctionalInterface
public interface InspectDebugFn<T> {
    void inspect(String stepId, T item, long epoch, int worker) throws Exception;
}
