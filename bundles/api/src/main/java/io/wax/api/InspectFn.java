package io.wax.api;

/** Observes an item without changing it. */
@FunctionalInterface
public interface InspectFn<T> {
    void inspect(String stepId, T item) throws Exception;
}
