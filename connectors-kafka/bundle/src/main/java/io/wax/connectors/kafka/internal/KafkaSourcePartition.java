package io.wax.connectors.kafka.internal;

import io.wax.api.io.SourcePartition;
import io.wax.connectors.kafka.KafkaItem;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One topic-partition as the engine sees it: a queue filled by its worker's {@link WorkerFetcher}.
 * {@link #nextBatch()} only takes from that queue, so it never waits for the network;
 * {@link #snapshot()} is the next offset after the last batch returned (past any transaction
 * markers).
 */
public final class KafkaSourcePartition implements SourcePartition<KafkaItem, Long> {
    private final WorkerFetcher<?, ?>.Part part;
    private final Duration maxIdleWait;
    private final LagCell lag;
    private final Set<LagCell> registry;
    private long position;
    private boolean ended;
    private boolean empty;

    KafkaSourcePartition(WorkerFetcher<?, ?>.Part part, Duration maxIdleWait, Set<LagCell> registry) {
        this.part = part;
        this.maxIdleWait = maxIdleWait;
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
        if (chunk.failure() != null) {
            throw chunk.failure();
        }
        List<KafkaItem> items = part.items(chunk);
        position = chunk.nextOffset();
        lag.position(position);
        if (chunk.last()) {
            ended = true;
        }
        return items;
    }

    /**
     * After an empty poll, a fallback time to look again: the fetcher wakes the worker as soon as
     * a batch is queued, so this only bounds the delay if a wake-up is missed.
     */
    @Override
    public Instant nextAwake() {
        return empty ? Instant.now().plus(maxIdleWait) : null;
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
