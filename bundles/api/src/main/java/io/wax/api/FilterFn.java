package io.wax.api;

/** Decides whether an item is kept; used by {@code filter} and {@code branch}. */
@FunctionalInterface
public interface FilterFn<T> {
    boolean test(T item) throws Exception;
}
