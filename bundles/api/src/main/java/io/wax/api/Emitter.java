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

    /**
     * The system time (epoch ms) at which the engine began the current call: one reading shared
     * by every key of a batch. Logics called for many keys per batch (window clocks) use it
     * instead of reading the clock themselves, which costs about 20 ns a call on this class of
     * machine, as much as the rest of a small key's work.
     */
    default long systemTimeMillis() {
        return System.currentTimeMillis();
    }
}
