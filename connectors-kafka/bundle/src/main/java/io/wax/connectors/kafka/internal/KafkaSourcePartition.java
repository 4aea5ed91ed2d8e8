package io.wax.connectors.kafka.internal;

import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaError;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaItem;
import io.wax.connectors.kafka.KafkaMessage;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.connectors.kafka.StartOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One topic-partition read by its own consumer. The consumer polls with a zero timeout, so
 * {@link #nextBatch()} never waits for the network; {@link #snapshot()} is the consumer's
 * position, which is past the last message returned (and past any transaction markers).
 */
public final class KafkaSourcePartition<K, V> implements SourcePartition<KafkaItem, Long> {
    /** Pause after an error before polling again, so a persistent error does not flood the error stream. */
    private static final long ERROR_BACKOFF_MS = 1000;

    private final KafkaSourceConfig<K, V> config;
    private final String part;
    private final TopicPartition tp;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final long endAtStart;
    private final LagCell lag;
    private final Set<LagCell> registry;
    private long position;
    private boolean ended;
    private int emptyPolls;
    private long awakeAtMs;

    public KafkaSourcePartition(KafkaSourceConfig<K, V> config, WorkerContext ctx, String part, Long resume,
                                Set<LagCell> registry) {
        this.config = config;
        this.part = part;
        this.tp = parse(part);
        this.keys = config.keySerde().deserializer();
        this.values = config.valueSerde().deserializer();
        Map<String, Object> conf = consumerConfig(config, ctx, part);
        this.consumer = Tccl.withBundleLoader(
                () -> new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
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
            this.endAtStart = config.tail() ? -1 : consumer.endOffsets(List.of(tp), timeout).get(tp);
            this.ended = !config.tail() && position >= endAtStart;
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
        ConsumerRecords<byte[], byte[]> records;
        long next;
        try {
            records = consumer.poll(Duration.ZERO);
            next = consumer.position(tp);
        } catch (KafkaException e) {
            String msg = "Kafka source: reading " + part + " from brokers " + config.brokers() + " failed: " + e;
            if (config.raiseOnErrors()) {
                throw new KafkaConnectorException(msg, e);
            }
            awakeAtMs = System.currentTimeMillis() + ERROR_BACKOFF_MS;
            return List.of(new KafkaError(tp.topic(), tp.partition(), -1, msg, null, null, null));
        }
        boolean bounded = !config.tail();
        if (bounded && next >= endAtStart) {
            // Messages that arrived after the partition was opened are not part of a bounded read.
            next = endAtStart;
            ended = true;
        }
        position = next;
        OptionalLong current = consumer.currentLag(tp);
        lag.update(next, current.isPresent() ? consumer.position(tp) + current.getAsLong() : endAtStart);
        if (records.isEmpty()) {
            emptyPolls++;
            long wait = Math.min(config.maxIdleWait().toMillis(), 1L << Math.min(emptyPolls - 1, 20));
            awakeAtMs = System.currentTimeMillis() + wait;
            return List.of();
        }
        emptyPolls = 0;
        awakeAtMs = 0;
        List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
        List<KafkaItem> out = new ArrayList<>(rs.size());
        for (ConsumerRecord<byte[], byte[]> r : rs) {
            if (bounded && r.offset() >= endAtStart) {
                break;
            }
            out.add(convert(r));
        }
        return out;
    }

    private KafkaItem convert(ConsumerRecord<byte[], byte[]> r) {
        K key;
        V value;
        String which = "key";
        try {
            key = r.key() == null ? null : keys.deserialize(r.topic(), r.headers(), r.key());
            which = "value";
            value = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            String msg = "could not deserialise the " + which + " of " + part + " at offset " + r.offset() + ": " + e;
            if (config.raiseOnErrors()) {
                throw new KafkaConnectorException("Kafka source: " + msg, e);
            }
            return new KafkaError(r.topic(), r.partition(), r.offset(), msg, r.key(), r.value(), headers(r.headers()));
        }
        return new KafkaMessage<>(r.topic(), r.partition(), r.offset(), r.timestamp(), key, value,
                headers(r.headers()));
    }

    private static List<KafkaHeader> headers(Headers hs) {
        Header[] arr = hs.toArray();
        if (arr.length == 0) {
            return List.of();
        }
        List<KafkaHeader> out = new ArrayList<>(arr.length);
        for (Header h : arr) {
            out.add(new KafkaHeader(h.key(), h.value()));
        }
        return out;
    }

    @Override
    public Instant nextAwake() {
        return awakeAtMs == 0 ? null : Instant.ofEpochMilli(awakeAtMs);
    }

    @Override
    public Long snapshot() {
        return position;
    }

    @Override
    public void close() {
        registry.remove(lag);
        consumer.close(Duration.ZERO);
    }
}
