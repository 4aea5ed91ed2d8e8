package io.wax.api;

/** Folds a value into an accumulator and returns the new accumulator. */
@FunctionalInterface
public interface FoldFn<S, V> {
    S fold(S accumulator, V value) throws Exception;
}
