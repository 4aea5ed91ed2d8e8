package io.wax.plan;

/**
 * Implemented by the {@code StatefulBatchBuilder}s of derived operators whose logics treat a
 * key's values one at a time (stateful_map, the window operators): calling {@code onBatch} once
 * per value, in arrival order, leaves the same state and emits the same items as calling it once
 * with all of a key's values in a batch. The engine may then skip grouping each batch by key,
 * which costs more than it saves when a batch holds about one value per key. User logics are
 * always called once per key per batch, as {@code StatefulBatchLogic} promises.
 */
public interface PerValue {
}
