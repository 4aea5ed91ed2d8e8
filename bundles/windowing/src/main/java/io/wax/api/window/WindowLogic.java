package io.wax.api.window;

import java.util.function.Consumer;

/**
 * The logic of one window of one key, built by a {@link WindowLogic.Builder} from the window's
 * resumed state. Whatever it passes to {@code out} leaves on the {@code down} stream as a
 * {@link WindowResult} of this window.
 *
 * @param <V> values in
 * @param <W> results out
 * @param <S> the snapshot type
 */
public interface WindowLogic<V, W, S> {
    /** Builds a window's logic from its snapshot, or from {@code null} for a new window. */
    @FunctionalInterface
    interface Builder<V, W, S> {
        WindowLogic<V, W, S> build(S resumeState) throws Exception;
    }

    /** A value that falls in this window. */
    void onValue(V value, Consumer<? super W> out) throws Exception;

    /**
     * Absorbs the state of a window merged into this one (sessions only). The default refuses,
     * for logics whose windows never merge.
     */
    default void onMerge(S original, Consumer<? super W> out) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " cannot merge windows");
    }

    /**
     * The window fires: its close time has passed the watermark. With allowed lateness it fires
     * again after each late value, so this must leave the state usable.
     */
    void onClose(Consumer<? super W> out) throws Exception;

    /** An immutable copy of the state. */
    S snapshot();
}
