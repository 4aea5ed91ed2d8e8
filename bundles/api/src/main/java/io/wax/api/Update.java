package io.wax.api;

/**
 * What a stateful mapper returns: the key's new state ({@code null} discards it) and what to emit.
 */
public record Update<S, R>(S state, R emit) {
    public static <S, R> Update<S, R> of(S state, R emit) {
        return new Update<>(state, emit);
    }
}
