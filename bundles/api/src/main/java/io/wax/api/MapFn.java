package io.wax.api;

/** Turns one item into another; used by {@code map} and {@code mapValue}. */
@FunctionalInterface
public interface MapFn<T, R> {
    R apply(T item) throws Exception;
}
