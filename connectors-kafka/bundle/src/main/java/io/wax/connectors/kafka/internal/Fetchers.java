package io.wax.connectors.kafka.internal;

import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaSourceConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fetchers of one source: one per worker and step, shared by the partitions that worker
 * opens, until it starts reading (partitions opened later get a fresh fetcher).
 */
public final class Fetchers<K, V> {
    private final KafkaSourceConfig<K, V> config;
    private final Set<LagCell> lags;
    private final Map<String, WorkerFetcher<K, V>> joinable = new HashMap<>();

    public Fetchers(KafkaSourceConfig<K, V> config, Set<LagCell> lags) {
        this.config = config;
        this.lags = lags;
    }

    /** Opens partition {@code name} for the worker of {@code ctx}. */
    public KafkaSourcePartition open(WorkerContext ctx, String name, Long resume) {
        String key = ctx.stepId() + "#" + ctx.workerIndex();
        WorkerFetcher<K, V> f;
        boolean created = false;
        synchronized (joinable) {
            f = joinable.get(key);
            if (f == null) {
                WorkerFetcher<K, V>[] self = new WorkerFetcher[1];
                f = new WorkerFetcher<>(config, ctx, () -> {
                    synchronized (joinable) {
                        joinable.remove(key, self[0]);
                    }
                });
                self[0] = f;
                joinable.put(key, f);
                created = true;
            }
        }
        LagCell lag = new LagCell(ctx.stepId(), name, ctx.workerIndex());
        WorkerFetcher<K, V>.Part part;
        try {
            part = f.add(name, KafkaSourcePartition.parse(name), resume, lag);
        } catch (RuntimeException e) {
            if (created) {
                f.abandonIfUnused();
            }
            throw e;
        }
        return new KafkaSourcePartition(part, lags);
    }
}
