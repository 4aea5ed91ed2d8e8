package io.wax.api;

/** Turns one item into another, or into {@code null} to drop it. */
@FunctionalInterface
public interface FilterMapFn<T, R> {
    R apply(T item) throws Exception;
}
