package io.wax.connectors.kafka;

import io.wax.api.Branch;
import io.wax.api.Dataflow;
import io.wax.api.Stream;
import io.wax.api.codec.Codecs;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.internal.Fetchers;
import io.wax.connectors.kafka.internal.KafkaCodecs;
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
 * queued, waiting at most a millisecond; while nothing arrives, the consumer's polls back off up
 * to {@code maxIdleWait}. A partition's snapshot is its next offset, so a resumed flow continues
 * exactly after the last message it emitted.
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
 *
 * <p>{@link KafkaMessage}, {@link KafkaError} and {@link KafkaHeader} have codecs in every flow that
 * uses this source, so they can cross processes in a cluster and be kept in state; a message's key
 * and value must be of types the flow can encode (the built-in ones, such as {@code String} and
 * {@code byte[]}, or registered ones).
 */
public final class KafkaSource<K, V> implements PartitionedSource<KafkaItem, Long>, LagGauge, Codecs.Provider {
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
     * messages and errors with a {@code branch} step, {@code stepId_split}: one look at each item,
     * and a batch that is all messages (the usual case) passes on whole, without copying.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public KafkaInput<K, V> read(Dataflow flow, String stepId) {
        Branch<KafkaItem> split = flow.input(stepId, this)
                .branch(stepId + "_split", item -> item instanceof KafkaMessage);
        return new KafkaInput<>((Stream) split.trues(), (Stream) split.falses());
    }

    @Override
    public void registerCodecs(Codecs codecs) {
        KafkaCodecs.register(codecs);
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
