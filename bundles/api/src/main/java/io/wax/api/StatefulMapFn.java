package io.wax.api;

/**
 * Maps a value with the key's state: receives the state ({@code null} when the key has none) and
 * returns the new state and the item to emit. A {@code null} new state discards the key's state.
 */
@FunctionalInterface
public interface StatefulMapFn<S, V, R> {
    Update<S, R> apply(S state, V value) throws Exception;
}
