package io.wax.bench;

import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Items {@code item(i)} for {@code i} in {@code [0, n)}, split into contiguous ranges, one
 * partition per range, read in batches. Records when the first batch leaves, so the harness can
 * tell start-up from processing.
 */
final class IndexSource<T> implements PartitionedSource<T, Long> {
    private final long n;
    private final int parts;
    private final int batch;
    private final LongFunction<T> item;
    final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);

    IndexSource(long n, int parts, int batch, LongFunction<T> item) {
        this.n = n;
        this.parts = parts;
        this.batch = batch;
        this.item = item;
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
        long from = n * p / parts;
        long to = n * (p + 1) / parts;
        return new SourcePartition<>() {
            long next = resume == null ? from : resume;

            @Override
            public List<T> nextBatch() {
                if (next >= to) {
                    return null;
                }
                firstNanos.accumulateAndGet(System.nanoTime(), Math::min);
                int m = (int) Math.min(batch, to - next);
                ArrayList<T> out = new ArrayList<>(m);
                for (int k = 0; k < m; k++) {
                    out.add(item.apply(next + k));
                }
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
