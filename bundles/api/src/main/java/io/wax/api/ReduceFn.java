package io.wax.api;

/** Combines two values of the same type into one. */
@FunctionalInterface
public interface ReduceFn<V> {
    V reduce(V a, V b) throws Exception;
}
