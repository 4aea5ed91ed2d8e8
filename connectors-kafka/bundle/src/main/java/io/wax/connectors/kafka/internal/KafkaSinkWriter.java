package io.wax.connectors.kafka.internal;

import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaSinkConfig;
import io.wax.connectors.kafka.KafkaSinkMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/** One worker's producer. Sends asynchronously; flushes and checks for failures at every epoch end. */
public final class KafkaSinkWriter<K, V> implements StatelessSinkPartition<KafkaSinkMessage<K, V>> {
    private final KafkaSinkConfig<K, V> config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Serializer<K> keys;
    private final Serializer<V> values;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private boolean reported;

    public KafkaSinkWriter(KafkaSinkConfig<K, V> config, WorkerContext ctx) {
        this.config = config;
        this.keys = config.keySerde().serializer();
        this.values = config.valueSerde().serializer();
        Map<String, Object> conf = new HashMap<>();
        conf.put("client.id", "wax-" + ctx.stepId() + "-w" + ctx.workerIndex());
        conf.put("max.block.ms", ClientConfigs.millis(config.timeout()));
        conf.putAll(config.clientConfig());
        conf.put("bootstrap.servers", String.join(",", config.brokers()));
        Metadata.checkTopic(config);
        try {
            this.producer = Tccl.withBundleLoader(
                    () -> new KafkaProducer<>(conf, new ByteArraySerializer(), new ByteArraySerializer()));
        } catch (KafkaException e) {
            throw new KafkaConnectorException("Kafka sink: cannot create a producer for brokers " + config.brokers()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeBatch(List<KafkaSinkMessage<K, V>> items) {
        check();
        for (KafkaSinkMessage<K, V> m : items) {
            String topic = m.topic() != null ? m.topic() : config.topic();
            RecordHeaders headers = new RecordHeaders(toKafka(m.headers()));
            byte[] k = m.key() == null ? null : keys.serialize(topic, headers, m.key());
            byte[] v = m.value() == null ? null : values.serialize(topic, headers, m.value());
            try {
                producer.send(new ProducerRecord<>(topic, m.partition(), m.timestamp(), k, v, headers), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            } catch (KafkaException e) {
                throw new KafkaConnectorException("Kafka sink: sending to " + topic + " on " + config.brokers()
                        + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static List<Header> toKafka(List<KafkaHeader> hs) {
        List<Header> out = new ArrayList<>(hs.size());
        for (KafkaHeader h : hs) {
            out.add(new RecordHeader(h.key(), h.value()));
        }
        return out;
    }

    /** Flushes: every message written so far is acknowledged when this returns. */
    @Override
    public void epochEnd(long epoch) {
        producer.flush();
        check();
    }

    private void check() {
        Exception e = failure.get();
        if (e != null && !reported) {
            reported = true;
            throw new KafkaConnectorException("Kafka sink: a message to " + config.topic() + " on " + config.brokers()
                    + " could not be written: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            producer.flush();
            check();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
