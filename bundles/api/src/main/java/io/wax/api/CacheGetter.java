package io.wax.api;

/** Fetches the value behind a key for {@code enrichCached}, for example from a database. */
@FunctionalInterface
public interface CacheGetter<C> {
    C get(String key) throws Exception;
}
