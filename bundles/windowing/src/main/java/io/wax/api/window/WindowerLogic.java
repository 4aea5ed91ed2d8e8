package io.wax.api.window;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * One key's windows. Times are epoch milliseconds. The window operator decides which items are
 * late (timestamp below the watermark minus the allowed lateness) and calls {@link #openFor} only
 * for the others; it keeps each window's {@link WindowLogic}, fires a window once the watermark
 * reaches {@link #closesAt} and calls {@link #remove} once the window can get no more items.
 *
 * @param <S> the snapshot type
 */
public interface WindowerLogic<S> {
    /** An original window merged into a target window. */
    record Merge(long original, long target) {
    }

    /** Reports, to {@code windows}, the id of every window the item belongs to, opening them as needed. */
    void openFor(long timestamp, long watermark, LongConsumer windows);

    /** Reports the ids a late item would have belonged to, for sub-keying the late stream. */
    void lateFor(long timestamp, LongConsumer windows);

    /** The merges since the last call, in the order they happened. */
    default List<Merge> merged() {
        return List.of();
    }

    /** The open time of a known window. */
    long openTime(long window);

    /** The close time of a known window, as shown in its metadata. */
    long closeTime(long window);

    /** The watermark from which no item that is not late can fall in the window any more. */
    long closesAt(long window);

    /** Forgets a window that can get no more items. */
    default void remove(long window) {
    }

    /** Whether there is nothing worth keeping. */
    default boolean isEmpty() {
        return true;
    }

    /** An immutable copy of the state. */
    S snapshot();
}
