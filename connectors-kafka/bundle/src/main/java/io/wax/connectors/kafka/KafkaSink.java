package io.wax.connectors.kafka;

import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.internal.KafkaSinkWriter;

/**
 * Writes {@link KafkaSinkMessage}s to Kafka: one producer per worker, honouring each message's key,
 * headers, topic, partition and timestamp. At-least-once: every worker flushes its producer when an
 * epoch ends and when the flow ends, and fails the flow if a send failed; after a crash the
 * resumed epoch is written again.
 *
 * <pre>{@code
 * KafkaSink<String, String> sink = new KafkaSink<>(KafkaSinkConfig.builder(List.of("127.0.0.1:9092"), "out")
 *         .serdes(KafkaSerdes.string(), KafkaSerdes.string()).build());
 * counts.map("to_msg", kv -> KafkaSinkMessage.of(kv.key(), kv.value().toString())).output("out", sink);
 * }</pre>
 */
public final class KafkaSink<K, V> implements DynamicSink<KafkaSinkMessage<K, V>> {
    private final KafkaSinkConfig<K, V> config;

    public KafkaSink(KafkaSinkConfig<K, V> config) {
        this.config = config;
    }

    public KafkaSinkConfig<K, V> config() {
        return config;
    }

    @Override
    public StatelessSinkPartition<KafkaSinkMessage<K, V>> build(WorkerContext ctx) {
        return new KafkaSinkWriter<>(config, ctx);
    }
}
