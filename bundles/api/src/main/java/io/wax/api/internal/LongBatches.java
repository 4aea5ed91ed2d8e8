package io.wax.api.internal;

import io.wax.api.BatchFn;
import io.wax.api.LongBatch;
import io.wax.api.LongFilterFn;
import io.wax.api.LongMapFn;
import io.wax.plan.UserCode;
import java.util.List;

/** The bodies of {@code Longs.map} and {@code Longs.filter}: loops over {@code long}s. */
public final class LongBatches {
    private LongBatches() {
    }

    public static BatchFn<Long, Long> map(LongMapFn fn) {
        return new Fn(fn) {
            @Override
            public List<Long> apply(List<Long> batch) throws Exception {
                LongBatch in = unboxed(batch);
                int n = in.size();
                LongBatch out = new LongBatch(n);
                for (int i = 0; i < n; i++) {
                    out.add(fn.apply(in.getLong(i)));
                }
                return out;
            }
        };
    }

    public static BatchFn<Long, Long> filter(LongFilterFn fn) {
        return new Fn(fn) {
            @Override
            public List<Long> apply(List<Long> batch) throws Exception {
                LongBatch in = unboxed(batch);
                int n = in.size();
                LongBatch out = new LongBatch(n);
                for (int i = 0; i < n; i++) {
                    long x = in.getLong(i);
                    if (fn.test(x)) {
                        out.add(x);
                    }
                }
                return out;
            }
        };
    }

    /** The batch as a LongBatch: as it is, or, for an ordinary batch of Longs, copied once. */
    private static LongBatch unboxed(List<Long> batch) {
        if (batch instanceof LongBatch lb) {
            return lb;
        }
        LongBatch copy = new LongBatch(batch.size());
        for (int i = 0, n = batch.size(); i < n; i++) {
            copy.add(batch.get(i).longValue());
        }
        return copy;
    }

    /** Names the user's function in errors. */
    private abstract static class Fn implements BatchFn<Long, Long>, UserCode {
        private final Object user;

        Fn(Object user) {
            this.user = user;
        }

        @Override
        public Object userFunction() {
            return user;
        }
    }
}
