package io.wax.api;

/**
 * Like {@link StatefulMapFn} but emits zero or more items: returns the new state ({@code null} to
 * discard it) and the items to emit.
 */
@FunctionalInterface
public interface StatefulFlatMapFn<S, V, R> {
    Update<S, ? extends Iterable<? extends R>> apply(S state, V value) throws Exception;
}
