package io.wax.api.internal;

import io.wax.api.BatchFn;
import io.wax.api.LongBatch;
import io.wax.api.LongFilterFn;
import io.wax.api.LongMapFn;
import io.wax.api.plan.UserCode;
import java.util.List;

/** The bodies of {@code Longs.map} and {@code Longs.filter}: loops over {@code long}s. */
public final class LongBatches {
    private LongBatches() {
    }

    public static BatchFn<Long, Long> map(LongMapFn fn) {
        return new Fn(fn) {
            @Override
            public List<Long> apply(List<Long> batch) throws Exception {
                int n = batch.size();
                LongBatch out = new LongBatch(n);
                if (batch instanceof LongBatch in) {
                    for (int i = 0; i < n; i++) {
                        out.add(fn.apply(in.getLong(i)));
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out.add(fn.apply(batch.get(i)));
                    }
                }
                return out;
            }
        };
    }

    public static BatchFn<Long, Long> filter(LongFilterFn fn) {
        return new Fn(fn) {
            @Override
            public List<Long> apply(List<Long> batch) throws Exception {
                int n = batch.size();
                LongBatch out = new LongBatch(n);
                if (batch instanceof LongBatch in) {
                    for (int i = 0; i < n; i++) {
                        long x = in.getLong(i);
                        if (fn.test(x)) {
                            out.add(x);
                        }
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        long x = batch.get(i);
                        if (fn.test(x)) {
                            out.add(x);
                        }
                    }
                }
                return out;
            }
        };
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
