package io.wax.api;

/**
 * Where a stateful logic sends its output. Items emitted here leave the step keyed by the logic's
 * key, in the epoch being processed.
 */
public interface Emitter<R> {
    void emit(R item);

    /**
     * Discards this key's state once the current call returns: the logic is dropped, its
     * discarding is recorded in the next snapshot, and the next value for the key builds a new
     * logic from no state.
     */
    void discardState();
}
