package io.wax.api.window;

import io.wax.api.KeyedStream;

/**
 * The three streams of a window operator, all keyed by the original key: {@link #down()} the
 * results, {@link #late()} the items that came too late, {@link #meta()} each window's bounds and
 * merged ids.
 *
 * <p>Metadata costs an item per window, so it is only produced for flows that ask for it: calling
 * {@link #meta()} while building the flow switches it on for this operator.
 *
 * @param <V> the values in
 * @param <W> the results
 */
public final class WindowOut<V, W> {
    private final KeyedStream<WindowResult<W>> down;
    private final KeyedStream<LateItem<V>> late;
    final KeyedStream<WindowMeta> meta;
    final Runnable metaWanted;

    WindowOut(KeyedStream<WindowResult<W>> down, KeyedStream<LateItem<V>> late, KeyedStream<WindowMeta> meta,
              Runnable metaWanted) {
        this.down = down;
        this.late = late;
        this.meta = meta;
        this.metaWanted = metaWanted;
    }

    /** The results, each carrying its window id and update number. */
    public KeyedStream<WindowResult<W>> down() {
        return down;
    }

    /** The items that came too late for their windows. */
    public KeyedStream<LateItem<V>> late() {
        return late;
    }

    /** Each window's open and close times and merged ids; asking for it switches it on. */
    public KeyedStream<WindowMeta> meta() {
        metaWanted.run();
        return meta;
    }
}
