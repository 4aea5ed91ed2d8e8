package io.wax.api.internal;

import io.wax.api.CacheGetter;
import io.wax.api.EnrichFn;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read-through cache of enrich_cached. One instance serves every worker of a process, so a
 * value is fetched once per process and TTL rather than once per worker.
 */
public final class TtlCache<C> implements EnrichFn.Cache<C> {
    private record Entry<C>(C value, long expiresNanos) {
    }

    private final CacheGetter<C> getter;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry<C>> entries = new ConcurrentHashMap<>();

    public TtlCache(CacheGetter<C> getter, Duration ttl) {
        this.getter = getter;
        this.ttlNanos = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
    }

    @Override
    public C get(String key) throws Exception {
        Entry<C> e = entries.get(key);
        if (e != null && System.nanoTime() - e.expiresNanos() < 0) {
            return e.value();
        }
        try {
            // compute() fetches at most once per key even when several workers miss together.
            return entries.compute(key, (k, old) -> {
                long now = System.nanoTime();
                if (old != null && now - old.expiresNanos() < 0) {
                    return old;
                }
                try {
                    long ttl = Math.min(ttlNanos, Long.MAX_VALUE / 4);
                    return new Entry<>(getter.get(k), now + ttl);
                } catch (Exception ex) {
                    throw new CompletionException(ex);
                }
            }).value();
        } catch (CompletionException ce) {
            throw (Exception) ce.getCause();
        }
    }
}
