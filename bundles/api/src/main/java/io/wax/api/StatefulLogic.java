package io.wax.api;

import java.time.Instant;

/**
 * The per-item form of {@link StatefulBatchLogic}, used by {@code stateful}: the same contract,
 * but values arrive one at a time.
 */
public interface StatefulLogic<V, R, S> {
    void onItem(V value, Emitter<R> out) throws Exception;

    default void onNotify(Emitter<R> out) throws Exception {
    }

    default void onEof(Emitter<R> out) throws Exception {
    }

    default Instant notifyAt() {
        return null;
    }

    S snapshot();
}
