package io.wax.api;

/** Maps an item with the help of a cache of looked-up values; used by {@code enrichCached}. */
@FunctionalInterface
public interface EnrichFn<C, T, R> {
    R apply(Cache<C> cache, T item) throws Exception;

    /** A read-through cache: values are fetched with the getter and kept for the TTL. */
    interface Cache<C> {
        C get(String key) throws Exception;
    }
}
