package io.wax.api.io;

import io.wax.api.KV;
import java.util.List;

/**
 * A sink made of named partitions, each written by exactly one worker. It consumes a keyed
 * stream; {@link #partFor} picks each item's partition.
 */
public non-sealed interface PartitionedSink<V, S> extends Sink<KV<V>> {
    List<String> listParts() throws Exception;

    /**
     * The partition for a key. The default spreads keys by the same stable hash as keyed
     * exchange, so it is the same in every JVM.
     */
    default String partFor(String key, List<String> parts) {
        return parts.get(Math.floorMod(StableHash.of(key), parts.size()));
    }

    SinkPartition<V, S> buildPart(WorkerContext ctx, String part, S resumeState) throws Exception;
}
