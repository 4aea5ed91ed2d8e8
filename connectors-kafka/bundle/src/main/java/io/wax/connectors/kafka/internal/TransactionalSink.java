package io.wax.connectors.kafka.internal;

import io.wax.api.KV;
import io.wax.api.MapFn;
import io.wax.api.codec.Codecs;
import io.wax.api.io.PartitionedSink;
import io.wax.api.io.SinkPartition;
import io.wax.api.io.StableHash;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSinkMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The exactly-once Kafka sink: a partitioned sink whose partitions are the partitions of the
 * sink's topic (named {@code "0"}, {@code "1"}, ...), dealt to the workers by the engine, so that
 * transactional ids depend on the Kafka partition and not on the worker (a rescaled run finds
 * every partition's staged transactions). Its items are messages already serialised and keyed by
 * their partition ({@link #router}); its state per partition is the transactions staged at
 * snapshots and not yet committed: transactional id to {producer id, producer epoch, Wax epoch,
 * 1 for transactions version 2}.
 */
public final class TransactionalSink
        implements PartitionedSink<KafkaSinkMessage<byte[], byte[]>, Map<String, long[]>>, Codecs.Provider {
    private final KafkaSinkConfig<?, ?> config;

    public TransactionalSink(KafkaSinkConfig<?, ?> config) {
        this.config = config;
    }

    @Override
    public void registerCodecs(Codecs codecs) {
        // Routed messages cross processes in a cluster. Headers use the source's codec: one flow may have both.
        codecs.register(KafkaHeader.class, KafkaCodecs.HEADER).register(KafkaSinkMessage.class);
    }

    @Override
    public List<String> listParts() {
        int n = Metadata.partitionCount(config);
        List<String> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(Integer.toString(i));
        }
        return parts;
    }

    /** Keys are partition names already ({@link #router}); a key that is not one is spread by hash. */
    @Override
    public String partFor(String key, List<String> parts) {
        try {
            int p = Integer.parseInt(key);
            if (p >= 0 && p < parts.size()) {
                return parts.get(p);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        return parts.get(Math.floorMod(StableHash.of(key), parts.size()));
    }

    @Override
    public SinkPartition<KafkaSinkMessage<byte[], byte[]>, Map<String, long[]>> buildPart(WorkerContext ctx,
            String part, Map<String, long[]> resumeState) {
        return new TransactionalWriter(config, ctx, Integer.parseInt(part), resumeState);
    }

    /**
     * Serialises each message with the sink's serdes and keys it by the partition of the sink's
     * topic it goes to: its own partition, else Kafka's default for its key (murmur2 of the key's
     * bytes), else (no key) round robin. Messages to another topic are spread over the sink's
     * partitions by key and written with their own partition or the producer's partitioner.
     */
    public static <K, V> MapFn<KafkaSinkMessage<K, V>, KV<KafkaSinkMessage<byte[], byte[]>>> router(
            KafkaSinkConfig<K, V> config) {
        Serializer<K> keys = config.keySerde().serializer();
        Serializer<V> values = config.valueSerde().serializer();
        AtomicLong next = new AtomicLong();
        int[] partitions = {0};
        return m -> {
            int n = partitions[0];
            if (n == 0) {
                n = Metadata.partitionCount(config); // once per worker: each builds its own steps
                partitions[0] = n;
            }
            String topic = m.topic() != null ? m.topic() : config.topic();
            RecordHeaders headers = new RecordHeaders(toKafka(m.headers()));
            byte[] k = m.key() == null ? null : keys.serialize(topic, headers, m.key());
            byte[] v = m.value() == null ? null : values.serialize(topic, headers, m.value());
            boolean own = topic.equals(config.topic());
            int p;
            if (own && m.partition() != null) {
                if (m.partition() < 0 || m.partition() >= n) {
                    throw new KafkaConnectorException("Kafka sink: a message names partition " + m.partition()
                            + " of topic '" + topic + "', which has " + n + " partitions");
                }
                p = m.partition();
            } else if (k != null) {
                p = Utils.toPositive(Utils.murmur2(k)) % n;
            } else {
                p = (int) Math.floorMod(next.getAndIncrement(), (long) n);
            }
            List<KafkaHeader> hs = m.headers();
            return KV.of(Integer.toString(p), new KafkaSinkMessage<>(k, v, own ? null : topic,
                    own ? Integer.valueOf(p) : m.partition(), m.timestamp(), hs));
        };
    }

    private static List<Header> toKafka(List<KafkaHeader> hs) {
        List<Header> out = new ArrayList<>(hs.size());
        for (KafkaHeader h : hs) {
            out.add(new RecordHeader(h.key(), h.value()));
        }
        return out;
    }

    /** Which step uses which prefix in this JVM, to refuse two sinks sharing one. */
    private static final Map<String, String> PREFIXES = new HashMap<>();
    private static final Map<String, Integer> OPEN = new HashMap<>();

    static synchronized void claim(String prefix, String stepId) {
        String owner = PREFIXES.get(prefix);
        if (owner != null && !owner.equals(stepId)) {
            throw new KafkaConnectorException("Kafka sink (exactly-once): transactional id prefix '" + prefix
                    + "' is used by steps " + owner + " and " + stepId + "; each exactly-once sink needs a prefix of its"
                    + " own (they would fence and abort each other's transactions): change transactionalIdPrefix");
        }
        PREFIXES.put(prefix, stepId);
        OPEN.merge(prefix, 1, Integer::sum);
    }

    static synchronized void release(String prefix) {
        if (OPEN.merge(prefix, -1, Integer::sum) <= 0) {
            OPEN.remove(prefix);
            PREFIXES.remove(prefix);
        }
    }
}
