package io.wax.api.internal;

import io.wax.api.Emitter;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.StatefulBuilder;
import io.wax.api.StatefulLogic;
import io.wax.plan.PerValue;
import io.wax.plan.UserCode;
import java.time.Instant;
import java.util.List;

/**
 * Runs a per-item {@link StatefulLogic} as a batch logic. When the logic discards its state in
 * the middle of a batch, the remaining values start again from a logic built from no state, as if
 * they had arrived in the next batch.
 */
public final class StatefulAdapter<V, R, S> implements StatefulBatchLogic<V, R, S> {
    private final StatefulBuilder<V, R, S> builder;
    private StatefulLogic<V, R, S> logic;

    private StatefulAdapter(StatefulBuilder<V, R, S> builder, StatefulLogic<V, R, S> logic) {
        this.builder = builder;
        this.logic = logic;
    }

    public static <V, R, S> StatefulBatchBuilder<V, R, S> builder(StatefulBuilder<V, R, S> builder) {
        return new Builder<>(builder);
    }

    private record Builder<V, R, S>(StatefulBuilder<V, R, S> user)
            implements StatefulBatchBuilder<V, R, S>, UserCode, PerValue {
        @Override
        public StatefulBatchLogic<V, R, S> build(S resumeState) throws Exception {
            return new StatefulAdapter<>(user, user.build(resumeState));
        }

        @Override
        public Object userFunction() {
            return user;
        }
    }

    @Override
    public void onBatch(List<V> values, Emitter<R> out) throws Exception {
        Tracking<R> t = new Tracking<>(out);
        for (int i = 0, n = values.size(); i < n; i++) {
            if (t.discarded) {
                logic = builder.build(null);
                t.discarded = false;
            }
            logic.onItem(values.get(i), t);
        }
        if (t.discarded) {
            out.discardState();
        }
    }

    @Override
    public void onNotify(Emitter<R> out) throws Exception {
        logic.onNotify(out);
    }

    @Override
    public void onEof(Emitter<R> out) throws Exception {
        logic.onEof(out);
    }

    @Override
    public Instant notifyAt() {
        return logic.notifyAt();
    }

    @Override
    public S snapshot() {
        return logic.snapshot();
    }

    /** Notices a discard so that later values of the batch get a fresh logic. */
    private static final class Tracking<R> implements Emitter<R> {
        private final Emitter<R> out;
        boolean discarded;

        Tracking(Emitter<R> out) {
            this.out = out;
        }

        @Override
        public void emit(R item) {
            out.emit(item);
        }

        @Override
        public void discardState() {
            discarded = true;
        }

        @Override
        public long systemTimeMillis() {
            return out.systemTimeMillis();
        }
    }
}
