package io.wax.api.window;

import io.wax.api.KeyedStream;

/**
 * The three streams of a window operator, all keyed by the original key.
 *
 * @param down the results, each carrying its window id and update number
 * @param late the items that came too late
 * @param meta each window's bounds and merged ids
 */
public record WindowOut<V, W>(KeyedStream<WindowResult<W>> down, KeyedStream<LateItem<V>> late,
                              KeyedStream<WindowMeta> meta) {
}
