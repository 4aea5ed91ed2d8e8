package io.wax.api.internal;

import io.wax.api.CacheGetter;
import io.wax.api.EnrichFn;
import java.time.Duration;
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
        long now = System.nanoTime();
        Entry<C> e = entries.get(key);
        if (e == null || now - e.expiresNanos() >= 0) {
            long expires = ttlNanos == Long.MAX_VALUE ? now + Long.MAX_VALUE / 2 : now + ttlNanos;
            e = new Entry<>(getter.get(key), expires);
            entries.put(key, e);
        }
        return e.value();
    }
}
