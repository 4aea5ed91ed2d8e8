package io.wax.api.internal;

import io.wax.api.Emitter;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.StatefulFlatMapFn;
import io.wax.api.StatefulMapFn;
import io.wax.api.Update;
import io.wax.plan.PerValue;
import io.wax.plan.UserCode;
import java.util.List;

/**
 * The logic of stateful_map and stateful_flat_map: the state is whatever the mapper last
 * returned; a {@code null} state discards the key (a later value starts again from {@code null}).
 * Exactly one of {@code map} and {@code flat} is set; stateful_map has its own path so that the
 * common case allocates no list per item.
 */
public final class StatefulMapLogic<S, V, R> implements StatefulBatchLogic<V, R, S> {
    private final StatefulMapFn<S, V, R> map;
    private final StatefulFlatMapFn<S, V, R> flat;
    private S state;

    private StatefulMapLogic(StatefulMapFn<S, V, R> map, StatefulFlatMapFn<S, V, R> flat, S state) {
        this.map = map;
        this.flat = flat;
        this.state = state;
    }

    public static <S, V, R> StatefulBatchBuilder<V, R, S> map(StatefulMapFn<S, V, R> fn) {
        return new Builder<>(fn, null);
    }

    public static <S, V, R> StatefulBatchBuilder<V, R, S> flatMap(StatefulFlatMapFn<S, V, R> fn) {
        return new Builder<>(null, fn);
    }

    private record Builder<S, V, R>(StatefulMapFn<S, V, R> map, StatefulFlatMapFn<S, V, R> flat)
            implements StatefulBatchBuilder<V, R, S>, UserCode, PerValue {
        @Override
        public StatefulBatchLogic<V, R, S> build(S resumeState) {
            return new StatefulMapLogic<>(map, flat, resumeState);
        }

        @Override
        public Object userFunction() {
            return map != null ? map : flat;
        }
    }

    @Override
    public void onBatch(List<V> values, Emitter<R> out) throws Exception {
        S s = state;
        if (map != null) {
            for (int i = 0, n = values.size(); i < n; i++) {
                Update<S, R> u = map.apply(s, values.get(i));
                s = u.state();
                out.emit(u.emit());
            }
        } else {
            for (int i = 0, n = values.size(); i < n; i++) {
                Update<S, ? extends Iterable<? extends R>> u = flat.apply(s, values.get(i));
                s = u.state();
                if (u.emit() != null) {
                    for (R r : u.emit()) {
                        out.emit(r);
                    }
                }
            }
        }
        state = s;
        if (s == null) {
            out.discardState();
        }
    }

    @Override
    public S snapshot() {
        return state;
    }
}
