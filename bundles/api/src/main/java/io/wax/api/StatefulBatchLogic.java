package io.wax.api;

import java.time.Instant;
import java.util.List;

/**
 * The per-key logic of {@code statefulBatch}, the one core stateful operator. The engine keeps
 * one instance per key on the worker that owns the key, and calls it from that worker's thread
 * only, so it needs no locking.
 *
 * @param <V> values in
 * @param <R> items out
 * @param <S> the state snapshot type
 */
public interface StatefulBatchLogic<V, R, S> {
    /**
     * Handles the values for this key that arrived in one batch, in arrival order. The list is
     * read-only and only valid during the call (the engine reuses it): copy what you keep.
     */
    void onBatch(List<V> values, Emitter<R> out) throws Exception;

    /** Called once the time returned by {@link #notifyAt()} has passed. */
    default void onNotify(Emitter<R> out) throws Exception {
    }

    /** Called once when every upstream has ended. */
    default void onEof(Emitter<R> out) throws Exception {
    }

    /** When this key wants {@link #onNotify}; {@code null} for never. Asked after every call. */
    default Instant notifyAt() {
        return null;
    }

    /**
     * An immutable copy of the state, written to the recovery store for the keys touched in an
     * epoch when that epoch closes, and handed back to the builder on resume.
     */
    S snapshot();
}
