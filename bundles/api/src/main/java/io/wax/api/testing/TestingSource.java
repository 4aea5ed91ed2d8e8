package io.wax.api.testing;

import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A source over fixed lists, for tests and examples. Each list is one partition (by default a
 * single partition named {@code "iterable"}), read in batches of up to {@code batchSize} items.
 * Its snapshot is the index of the next item, so a resumed run continues exactly there.
 *
 * <p>Lists may hold markers besides items:
 * <ul>
 * <li>{@link #EOF}: the partition ends here for this run; a resumed run continues after it;</li>
 * <li>{@link #ABORT}: the run aborts here, as if the process crashed, the first time only (the
 * source remembers), so a resumed run continues from the last snapshot before it;</li>
 * <li>{@link #pause(Duration)}: the partition yields nothing for that long.</li>
 * </ul>
 *
 * <pre>{@code
 * flow.input("inp", new TestingSource<Integer>(List.of(1, 2, TestingSource.EOF, 3)));
 * }</pre>
 */
public final class TestingSource<T> implements PartitionedSource<T, Integer> {
    /** Ends this run of the partition; see the class comment. */
    public static final Object EOF = new Marker("EOF");
    /** Aborts the run once; see the class comment. */
    public static final Object ABORT = new Marker("ABORT");

    /** Pauses a partition for a while before its next item. */
    public record Pause(Duration duration) {
    }

    private record Marker(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Map<String, List<?>> parts;
    private final int batchSize;
    /** ABORT markers already triggered, as "part@index": each aborts one run only. */
    private final Map<String, Boolean> aborted = new ConcurrentHashMap<>();

    public TestingSource(List<?> items) {
        this(items, 1);
    }

    public TestingSource(List<?> items, int batchSize) {
        this(Map.of("iterable", items), batchSize);
    }

    /** A source with one partition per map entry, named by its key. */
    public TestingSource(Map<String, ? extends List<?>> parts, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("TestingSource batchSize must be >= 1, got " + batchSize);
        }
        this.parts = new TreeMap<>(parts);
        this.batchSize = batchSize;
    }

    public static Pause pause(Duration duration) {
        return new Pause(duration);
    }

    @Override
    public List<String> listParts() {
        return List.copyOf(parts.keySet());
    }

    @Override
    public SourcePartition<T, Integer> buildPart(WorkerContext ctx, String part, Integer resumeState) {
        return new Part(part, parts.get(part), resumeState == null ? 0 : resumeState);
    }

    /** Thrown by a partition that reaches an {@link #ABORT} marker; the engine stops the run. */
    public static final class AbortExecution extends io.wax.plan.AbortRun {
        public AbortExecution(String where) {
            super("TestingSource ABORT marker reached at " + where);
        }
    }

    private final class Part implements SourcePartition<T, Integer> {
        private final String name;
        private final List<?> items;
        private int next;
        private Instant awake;

        Part(String name, List<?> items, int next) {
            this.name = name;
            this.items = items;
            this.next = next;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<T> nextBatch() {
            awake = null;
            if (next >= items.size()) {
                return null;
            }
            List<T> batch = new ArrayList<>(Math.min(batchSize, items.size() - next));
            while (next < items.size() && batch.size() < batchSize) {
                Object x = items.get(next);
                if (x == EOF) {
                    if (batch.isEmpty()) {
                        next++;
                        return null;
                    }
                    return batch;
                } else if (x == ABORT) {
                    String at = name + "@" + next;
                    if (aborted.containsKey(at)) {
                        next++; // fired in an earlier run: as if it were not there (Bytewax does the same)
                        continue;
                    }
                    if (!batch.isEmpty()) {
                        return batch;
                    }
                    next++;
                    if (aborted.putIfAbsent(at, true) == null) {
                        throw new AbortExecution("partition '" + name + "' item " + (next - 1));
                    }
                } else if (x instanceof Pause p) {
                    if (!batch.isEmpty()) {
                        return batch;
                    }
                    next++;
                    awake = Instant.now().plus(p.duration());
                    return batch;
                } else {
                    batch.add((T) x);
                    next++;
                }
            }
            return batch;
        }

        @Override
        public Instant nextAwake() {
            return awake;
        }

        @Override
        public Integer snapshot() {
            return next;
        }
    }
}
