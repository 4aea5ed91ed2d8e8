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
    /** @param fetched when the value was fetched, by the cache's clock */
    private record Entry<C>(C value, java.time.Instant fetched) {
    }

    private final CacheGetter<C> getter;
    private final Duration ttl;
    private final java.time.Clock clock;
    private final ConcurrentHashMap<String, Entry<C>> entries = new ConcurrentHashMap<>();

    public TtlCache(CacheGetter<C> getter, Duration ttl) {
        this(getter, ttl, java.time.Clock.systemUTC());
    }

    /** @param clock what "now" is: tests pass a clock they set, as Bytewax's {@code _now_getter} */
    public TtlCache(CacheGetter<C> getter, Duration ttl, java.time.Clock clock) {
        this.getter = getter;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Whether a value is still fresh at {@code now}: at most the TTL old, as in Bytewax's TTLCache. */
    private boolean fresh(Entry<C> e, java.time.Instant now) {
        return e != null && (ttl == null || Duration.between(e.fetched(), now).compareTo(ttl) <= 0);
    }

    @Override
    public C get(String key) throws Exception {
        Entry<C> e = entries.get(key);
        if (fresh(e, clock.instant())) {
            return e.value();
        }
        try {
            // compute() fetches at most once per key even when several workers miss together.
            return entries.compute(key, (k, old) -> {
                java.time.Instant now = clock.instant();
                if (fresh(old, now)) {
                    return old;
                }
                try {
                    return new Entry<>(getter.get(k), now);
                } catch (Exception ex) {
                    throw new CompletionException(ex);
                }
            }).value();
        } catch (CompletionException ce) {
            throw (Exception) ce.getCause();
        }
    }
}
