package io.wax.plan;

import io.wax.api.KV;

/**
 * Implemented by the batch functions of derived operators that treat items one at a time (map,
 * filter, filter_map, flat_map, key_on). The engine may then run a chain of such steps as one
 * pass over each batch, handing every item straight from one step to the next without the
 * intermediate batches, while errors still name the step that threw.
 */
public interface PerItem<T, R> {
    void apply(T item, Next<? super R> next) throws Exception;

    /** Whether this step emits keyed items, to be collected into a {@link KeyedBatch}. */
    default boolean keyed() {
        return false;
    }

    /** Where a step sends each item it produces. */
    interface Next<R> {
        void accept(R item) throws Exception;
    }

    /**
     * Where a keyed step may send each item as its key and value apart, so that no {@code KV} is
     * made for an item whose next stop is a {@link KeyedBatch} (JIT escape analysis removes that
     * {@code KV} only when everything between is inlined, which a profile or a deep chain undoes).
     */
    interface KeyedNext<V> extends Next<KV<V>> {
        void accept(String key, V value) throws Exception;

        @Override
        default void accept(KV<V> item) throws Exception {
            accept(item.key(), item.value());
        }
    }
}
