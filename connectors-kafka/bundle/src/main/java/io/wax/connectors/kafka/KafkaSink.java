package io.wax.connectors.kafka;

import io.wax.api.Stream;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.internal.KafkaSinkWriter;
import io.wax.connectors.kafka.internal.TransactionalSink;

/**
 * Writes {@link KafkaSinkMessage}s to Kafka, honouring each message's key, headers, topic,
 * partition and timestamp. Add it with {@link #write}, which works for both guarantees:
 * <ul>
 * <li>{@link KafkaSinkConfig.Guarantee#AT_LEAST_ONCE} (the default): one producer per worker,
 * flushed when an epoch ends and when the flow ends, failing the flow if a send failed; after a
 * crash the resumed epoch is written again. {@code stream.output(id, sink)} does the same.</li>
 * <li>{@link KafkaSinkConfig.Guarantee#EXACTLY_ONCE}: a Kafka transaction per partition of the
 * sink's topic per snapshot, committed once the snapshot is durable at every worker; needs
 * recovery. Consumers see each message once when they read with
 * {@code isolation.level=read_committed}.</li>
 * </ul>
 *
 * <pre>{@code
 * KafkaSink<String, String> sink = new KafkaSink<>(KafkaSinkConfig.builder(List.of("127.0.0.1:9092"), "out")
 *         .serdes(KafkaSerdes.string(), KafkaSerdes.string()).build());
 * sink.write(counts.map("to_msg", kv -> KafkaSinkMessage.of(kv.key(), kv.value().toString())), "out");
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

    /**
     * Adds the output step {@code stepId} writing {@code messages} to Kafka. Exactly-once adds a
     * step {@code stepId + "_route"} before it, which serialises each message and keys it by the
     * partition of the sink's topic it goes to; the output step's partitions are the topic's.
     */
    public void write(Stream<? extends KafkaSinkMessage<K, V>> messages, String stepId) {
        if (config.guarantee() == KafkaSinkConfig.Guarantee.EXACTLY_ONCE) {
            @SuppressWarnings("unchecked")
            Stream<KafkaSinkMessage<K, V>> s = (Stream<KafkaSinkMessage<K, V>>) messages;
            s.map(stepId + "_route", TransactionalSink.router(config)).output(stepId, new TransactionalSink(config));
        } else {
            messages.output(stepId, this);
        }
    }

    @Override
    public StatelessSinkPartition<KafkaSinkMessage<K, V>> build(WorkerContext ctx) {
        if (config.guarantee() == KafkaSinkConfig.Guarantee.EXACTLY_ONCE) {
            throw new KafkaConnectorException("Kafka sink in step " + ctx.stepId() + ": an exactly-once sink is added"
                    + " with sink.write(stream, \"" + ctx.stepId().substring(ctx.stepId().lastIndexOf('.') + 1)
                    + "\"), not stream.output(...), which writes each worker's items at least once");
        }
        return new KafkaSinkWriter<>(config, ctx);
    }
}
