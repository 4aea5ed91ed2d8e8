package io.wax.bench;

import io.wax.api.LongBatch;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The items of indices {@code [0, n)}, split into contiguous ranges, one partition per range,
 * read in batches built by a {@link Batches} function. Records when the first batch leaves, so the
 * harness can tell start-up from processing.
 */
final class IndexSource<T> implements PartitionedSource<T, Long> {
    /** Builds the batch of indices {@code [from, from + count)}. */
    interface Batches<T> {
        List<T> build(long from, int count);
    }

    private final long n;
    private final int parts;
    private final int batch;
    private final Batches<T> batches;
    final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);

    private IndexSource(long n, int parts, int batch, Batches<T> batches) {
        this.n = n;
        this.parts = parts;
        this.batch = batch;
        this.batches = batches;
    }

    /** Item {@code item(i)} for each index, in ordinary batches. */
    static <T> IndexSource<T> of(long n, int parts, int batch, LongFunction<T> item) {
        return new IndexSource<>(n, parts, batch, (from, count) -> {
            ArrayList<T> out = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                out.add(item.apply(from + k));
            }
            return out;
        });
    }

    /** The indices themselves, as unboxed {@link LongBatch}es. */
    static IndexSource<Long> longs(long n, int parts, int batch) {
        return new IndexSource<>(n, parts, batch, (from, count) -> {
            LongBatch out = new LongBatch(count);
            for (int k = 0; k < count; k++) {
                out.add(from + k);
            }
            return out;
        });
    }

    @Override
    public List<String> listParts() {
        List<String> ps = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            ps.add("range-" + p);
        }
        return ps;
    }

    @Override
    public SourcePartition<T, Long> buildPart(WorkerContext ctx, String part, Long resume) {
        int p = Integer.parseInt(part.substring("range-".length()));
        long to = n * (p + 1) / parts;
        return new SourcePartition<>() {
            long next = resume == null ? n * p / parts : resume;

            @Override
            public List<T> nextBatch() {
                if (next >= to) {
                    return null;
                }
                firstNanos.accumulateAndGet(System.nanoTime(), Math::min);
                int m = (int) Math.min(batch, to - next);
                List<T> out = batches.build(next, m);
                next += m;
                return out;
            }

            @Override
            public Long snapshot() {
                return next;
            }
        };
    }
}
