package io.wax.api;

/** Turns one item into zero or more items. */
@FunctionalInterface
public interface FlatMapFn<T, R> {
    Iterable<? extends R> apply(T item) throws Exception;
}
