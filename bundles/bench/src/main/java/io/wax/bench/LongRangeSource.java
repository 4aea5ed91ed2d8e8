package io.wax.bench;

import io.wax.api.LongBatch;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The longs {@code [0, n)} as {@link LongBatch}es, one contiguous range per partition. */
final class LongRangeSource implements PartitionedSource<Long, Long> {
    private final long n;
    private final int parts;
    private final int batch;
    final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);

    LongRangeSource(long n, int parts, int batch) {
        this.n = n;
        this.parts = parts;
        this.batch = batch;
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
    public SourcePartition<Long, Long> buildPart(WorkerContext ctx, String part, Long resume) {
        int p = Integer.parseInt(part.substring("range-".length()));
        long to = n * (p + 1) / parts;
        return new SourcePartition<>() {
            long next = resume == null ? n * p / parts : resume;

            @Override
            public List<Long> nextBatch() {
                if (next >= to) {
                    return null;
                }
                firstNanos.accumulateAndGet(System.nanoTime(), Math::min);
                int m = (int) Math.min(batch, to - next);
                LongBatch out = new LongBatch(m);
                for (int k = 0; k < m; k++) {
                    out.add(next + k);
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
