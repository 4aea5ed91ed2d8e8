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

    /** The longest line read by default, in characters: {@value} (1 Mi). */
    public static final int DEFAULT_MAX_LINE = 1 << 20;
    /** The environment variable that sets the default line limit for every run (characters). */
    public static final String MAX_LINE_VARIABLE = "WAX_STDIN_MAX_LINE";

    private final int batchSize;
    private final int maxLine;

    /**
     * A source handing at most 1024 lines to the flow per poll, failing the run on a line longer
     * than {@value #DEFAULT_MAX_LINE} characters (or {@code WAX_STDIN_MAX_LINE}), so that input
     * without line breaks cannot fill the heap.
     */
    public StdInSource() {
        this(1024);
    }

    public StdInSource(int batchSize) {
        this(batchSize, defaultMaxLine());
    }

    public StdInSource(int batchSize, int maxLine) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("StdInSource batchSize must be >= 1, got " + batchSize);
        }
        if (maxLine < 1) {
            throw new IllegalArgumentException("StdInSource maxLine must be >= 1, got " + maxLine);
        }
        this.batchSize = batchSize;
        this.maxLine = maxLine;
    }

    private static int defaultMaxLine() {
        String v = System.getenv(MAX_LINE_VARIABLE);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_LINE;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(MAX_LINE_VARIABLE + " must be a whole number of characters >= 1, got '" + v + "'");
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
        return new LineReader(ctx, batchSize, maxLine, resumeState == null ? 0 : resumeState);
    }
}
