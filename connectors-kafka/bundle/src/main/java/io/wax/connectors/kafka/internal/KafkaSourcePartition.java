package io.wax.connectors.kafka.internal;

import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaItem;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.connectors.kafka.StartOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One topic-partition, read by its own consumer. Opening it (in the worker thread) finds the start
 * offset and, for a bounded read, the end offset, failing within the source's timeout; then a
 * {@link Fetcher} thread polls the consumer and queues converted batches, so that
 * {@link #nextBatch()} only takes from a queue and never waits for the network, while fetching
 * overlaps with the flow's processing. {@link #snapshot()} is the next offset after the last batch
 * returned (past any transaction markers).
 */
public final class KafkaSourcePartition<K, V> implements SourcePartition<KafkaItem, Long> {
    private final KafkaSourceConfig<K, V> config;
    private final LagCell lag;
    private final Set<LagCell> registry;
    private final Fetcher<K, V> fetcher;
    private final KafkaConsumer<byte[], byte[]> idleConsumer;
    private long position;
    private boolean ended;
    private boolean empty;

    public KafkaSourcePartition(KafkaSourceConfig<K, V> config, WorkerContext ctx, String part, Long resume,
                                Set<LagCell> registry) {
        this.config = config;
        TopicPartition tp = parse(part);
        Map<String, Object> conf = consumerConfig(config, ctx, part);
        KafkaConsumer<byte[], byte[]> consumer = Tccl.withBundleLoader(
                () -> new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        long endAtStart;
        try {
            Duration timeout = config.timeout();
            consumer.assign(List.of(tp));
            if (resume != null) {
                consumer.seek(tp, resume);
            } else if (config.startOffset() instanceof StartOffset.Timestamp ts) {
                OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(tp, ts.instant().toEpochMilli()), timeout)
                        .get(tp);
                if (at == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            } else if (config.startOffset() instanceof StartOffset.End) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
            this.position = consumer.position(tp, timeout);
            endAtStart = config.tail() ? -1 : consumer.endOffsets(List.of(tp), timeout).get(tp);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            consumer.close(Duration.ZERO);
            throw new KafkaConnectorException("Kafka source: no answer from brokers " + config.brokers() + " within "
                    + ClientConfigs.describe(config.timeout()) + " while opening partition " + part, e);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw new KafkaConnectorException("Kafka source: opening partition " + part + " on brokers "
                    + config.brokers() + " failed: " + e, e);
        }
        this.lag = new LagCell(ctx.stepId(), part, ctx.workerIndex());
        this.lag.update(position, endAtStart);
        this.registry = registry;
        registry.add(lag);
        this.ended = !config.tail() && position >= endAtStart;
        if (ended) {
            this.fetcher = null;
            this.idleConsumer = consumer;
        } else {
            this.fetcher = new Fetcher<>(config, ctx, part, tp, consumer, position, endAtStart, lag);
            this.idleConsumer = null;
            fetcher.start();
        }
    }

    private static Map<String, Object> consumerConfig(KafkaSourceConfig<?, ?> config, WorkerContext ctx, String part) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("auto.offset.reset", "earliest");
        conf.put("default.api.timeout.ms", ClientConfigs.millis(config.timeout()));
        conf.put("client.id", "wax-" + ctx.stepId() + "-" + part + "-w" + ctx.workerIndex());
        conf.putAll(config.clientConfig());
        conf.put("bootstrap.servers", String.join(",", config.brokers()));
        conf.remove("group.id");
        conf.put("enable.auto.commit", false);
        conf.put("max.poll.records", config.batchSize());
        return conf;
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
        Fetcher.Chunk chunk = fetcher.take();
        if (chunk == null) {
            empty = true;
            return List.of();
        }
        empty = false;
        if (chunk.failure() != null) {
            throw chunk.failure();
        }
        position = chunk.nextOffset();
        lag.position(position);
        if (chunk.last()) {
            ended = true;
        }
        return chunk.items();
    }

    /**
     * After an empty poll, a fallback time to look again: the fetcher wakes the worker as soon as
     * a batch is queued, so this only bounds the delay if a wake-up is missed.
     */
    @Override
    public Instant nextAwake() {
        return empty ? Instant.now().plus(config.maxIdleWait()) : null;
    }

    @Override
    public Long snapshot() {
        return position;
    }

    @Override
    public void close() {
        registry.remove(lag);
        if (fetcher != null) {
            fetcher.close();
        } else {
            idleConsumer.close(Duration.ZERO);
        }
    }
}
