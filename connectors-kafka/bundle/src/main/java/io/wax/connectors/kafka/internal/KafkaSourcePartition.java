package io.wax.connectors.kafka.internal;

import io.wax.api.io.ReportsLag;
import io.wax.api.io.SourcePartition;
import io.wax.connectors.kafka.KafkaItem;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One topic-partition as the engine sees it: a queue filled by its worker's {@link WorkerFetcher}.
 * {@link #nextBatch()} takes from that queue, polling the consumer first when nothing is queued
 * (which holds the worker at most {@link WorkerFetcher#POLL_WAIT}); {@link #snapshot()} is the
 * next offset after the last batch returned (past any transaction markers).
 */
public final class KafkaSourcePartition implements SourcePartition<KafkaItem, Long>, ReportsLag {
    private final WorkerFetcher<?, ?>.Part part;
    private final LagCell lag;
    private final Set<LagCell> registry;
    private long position;
    private boolean ended;
    private boolean empty;

    KafkaSourcePartition(WorkerFetcher<?, ?>.Part part, Set<LagCell> registry) {
        this.part = part;
        this.lag = part.lag;
        this.registry = registry;
        this.position = part.start;
        this.ended = part.emptyAtStart();
        registry.add(lag);
    }

    /** {@code topic-N} to its topic-partition; topic names may themselves contain '-'. */
    static TopicPartition parse(String part) {
        int dash = part.lastIndexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not a Kafka partition name (topic-N): " + part);
        }
        return new TopicPartition(part.substring(0, dash), Integer.parseInt(part.substring(dash + 1)));
    }

    @Override
    public List<KafkaItem> nextBatch() {
        if (ended) {
            return null;
        }
        WorkerFetcher.Chunk chunk = part.take();
        if (chunk == null) {
            empty = true;
            return List.of();
        }
        empty = false;
        List<KafkaItem> items = part.items(chunk);
        position = chunk.nextOffset();
        lag.position(position);
        if (chunk.last()) {
            ended = true;
        }
        return items;
    }

    /** After an empty poll, when to look again: the fetcher's idle back-off. */
    @Override
    public Instant nextAwake() {
        return empty ? Instant.now().plusMillis(part.idleMillis()) : null;
    }

    /** The consumer lag of this partition, for {@code /metrics}: kept by its {@link LagCell}. */
    @Override
    public long lag() {
        return lag.read().lag();
    }

    @Override
    public Long snapshot() {
        return position;
    }

    @Override
    public void close() {
        registry.remove(lag);
        part.close();
    }
}
