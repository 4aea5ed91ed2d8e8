package io.wax.connectors.kafka;

import io.wax.api.Dataflow;
import io.wax.api.Stream;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.internal.Fetchers;
import io.wax.connectors.kafka.internal.LagCell;
import io.wax.connectors.kafka.internal.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Kafka topics. Every topic-partition is one Wax partition, named {@code topic-N}; the engine
 * deals them deterministically and evenly to the workers of the cluster. Each worker reads its
 * partitions with one consumer using plain {@code assign} (no consumer group, no offset commits),
 * polled on the worker's own thread: {@code nextBatch} takes a ready batch, or polls when none is
 * queued, waiting at most a millisecond, and an idle partition backs off up to
 * {@code maxIdleWait}. A partition's snapshot is its next offset, so a resumed flow continues exactly after the last
 * message it emitted.
 *
 * <pre>{@code
 * KafkaSource<String, String> source = new KafkaSource<>(KafkaSourceConfig
 *         .builder(List.of("127.0.0.1:9092"), List.of("lines"))
 *         .serdes(KafkaSerdes.string(), KafkaSerdes.string())
 *         .raiseOnErrors(false)
 *         .build());
 * KafkaInput<String, String> in = source.read(flow, "inp");
 * in.oks().map("values", KafkaMessage::value).output("out", sink);
 * in.errs().output("errors", errorSink);
 * }</pre>
 *
 * With {@code raiseOnErrors} (the default) an error stops the flow with a message naming the topic,
 * partition and brokers; otherwise errors, deserialisation failures included, are emitted as
 * {@link KafkaError} items. Consumer lag per open partition is available from {@link #lag()}.
 */
public final class KafkaSource<K, V> implements PartitionedSource<KafkaItem, Long>, LagGauge {
    private final KafkaSourceConfig<K, V> config;
    private final Set<LagCell> open = ConcurrentHashMap.newKeySet();
    private final Fetchers<K, V> fetchers;

    public KafkaSource(KafkaSourceConfig<K, V> config) {
        this.config = config;
        this.fetchers = new Fetchers<>(config, open);
    }

    public KafkaSourceConfig<K, V> config() {
        return config;
    }

    /**
     * Adds this source to {@code flow} as input step {@code stepId} and splits what it reads into
     * messages and errors, with steps {@code stepId_oks} and {@code stepId_errs}. The split passes
     * error-free batches on as they are, without copying.
     */
    public KafkaInput<K, V> read(Dataflow flow, String stepId) {
        Stream<KafkaItem> all = flow.input(stepId, this);
        Stream<KafkaMessage<K, V>> oks = all.flatMapBatch(stepId + "_oks", KafkaSource::messages);
        Stream<KafkaError> errs = all.flatMapBatch(stepId + "_errs", KafkaSource::errors);
        return new KafkaInput<>(oks, errs);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K, V> List<KafkaMessage<K, V>> messages(List<KafkaItem> batch) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            if (!(batch.get(i) instanceof KafkaMessage)) {
                List<KafkaMessage<K, V>> out = new ArrayList<>(n);
                for (KafkaItem x : batch) {
                    if (x instanceof KafkaMessage m) {
                        out.add(m);
                    }
                }
                return out;
            }
        }
        return (List) batch;
    }

    private static List<KafkaError> errors(List<KafkaItem> batch) {
        List<KafkaError> out = null;
        for (KafkaItem x : batch) {
            if (x instanceof KafkaError e) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(e);
            }
        }
        return out == null ? List.of() : out;
    }

    /** Every partition of every topic, {@code topic-N}, as the brokers report them. */
    @Override
    public List<String> listParts() {
        return Metadata.partitions(config);
    }

    @Override
    public SourcePartition<KafkaItem, Long> buildPart(WorkerContext ctx, String part, Long resumeState) {
        return fetchers.open(ctx, part, resumeState);
    }

    @Override
    public List<PartitionLag> lag() {
        List<PartitionLag> out = new ArrayList<>();
        for (LagCell c : open) {
            out.add(c.read());
        }
        out.sort((a, b) -> a.partition().compareTo(b.partition()));
        return out;
    }
}
