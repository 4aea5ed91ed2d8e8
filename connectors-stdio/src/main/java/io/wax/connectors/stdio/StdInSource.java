package io.wax.connectors.stdio;

import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.util.List;

/**
 * The lines of the run's standard input (UTF-8, without line terminators), read by exactly one
 * worker: the source has a single partition, {@code "stdin"}. Its snapshot is the number of lines
 * read; a resumed run skips that many lines of its (replayed) input.
 *
 * <pre>{@code
 * flow.input("inp", new StdInSource()).flatMap("split", line -> List.of(line.split("\\s+")));
 * }</pre>
 */
public final class StdInSource implements PartitionedSource<String, Long> {
    /** The only partition's name. */
    public static final String PART = "stdin";

    private final int batchSize;

    /** A source handing at most 1024 lines to the flow per poll. */
    public StdInSource() {
        this(1024);
    }

    public StdInSource(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("StdInSource batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public List<String> listParts() {
        return List.of(PART);
    }

    @Override
    public SourcePartition<String, Long> buildPart(WorkerContext ctx, String part, Long resumeState) {
        if (!PART.equals(part)) {
            throw new IllegalArgumentException("StdInSource has only the partition '" + PART + "', not '" + part + "'");
        }
        return new LineReader(ctx, batchSize, resumeState == null ? 0 : resumeState);
    }
}
