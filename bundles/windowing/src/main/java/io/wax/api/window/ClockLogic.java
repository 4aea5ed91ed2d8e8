package io.wax.api.window;

/**
 * One key's clock. Times are epoch milliseconds; {@link Long#MAX_VALUE} is +infinity. The window
 * operator calls it from the key's worker thread only, and keeps the watermark from going
 * backwards even if a clock's does.
 *
 * @param <V> the values timed
 * @param <S> the snapshot type
 */
public interface ClockLogic<V, S> {
    /**
     * Called before the values of one batch, with the system time (epoch ms) that the engine read
     * once for the whole batch. Clocks take the time from here rather than reading it, which keeps
     * them cheap and lets tests drive them deterministically.
     */
    default void beforeBatch(long nowMillis) {
    }

    /** The item's timestamp; may advance the watermark. */
    long onItem(V value) throws Exception;

    /** The watermark after the last {@link #onItem} or {@link #onNotify}. */
    long watermark();

    /** Advances to the system time {@code nowMillis} when no item came; returns the watermark. */
    long onNotify(long nowMillis);

    /** The watermark at end of input; must not change the snapshot, so a resumed run can continue. */
    default long onEof() {
        return Long.MAX_VALUE;
    }

    /**
     * The system time (epoch ms) at which the watermark will reach {@code watermark} if no item
     * comes, or {@link Long#MAX_VALUE} for never. The operator wakes up then to close windows.
     */
    long systemTimeFor(long watermark);

    /** Whether this clock has nothing worth keeping, so a key without windows may be dropped. */
    default boolean isEmpty() {
        return false;
    }

    /** An immutable copy of the state. */
    S snapshot();
}
