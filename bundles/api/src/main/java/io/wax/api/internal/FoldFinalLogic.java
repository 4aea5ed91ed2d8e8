package io.wax.api.internal;

import io.wax.api.Emitter;
import io.wax.api.FoldFn;
import io.wax.api.InitFn;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.plan.PerValue;
import io.wax.plan.UserCode;
import java.util.List;

/** The logic of fold_final: folds every value of a key and emits the result at end of input. */
public final class FoldFinalLogic<S, V> implements StatefulBatchLogic<V, S, S> {
    private final FoldFn<S, V> folder;
    private S acc;

    private FoldFinalLogic(FoldFn<S, V> folder, S acc) {
        this.folder = folder;
        this.acc = acc;
    }

    public static <S, V> StatefulBatchBuilder<V, S, S> builder(InitFn<S> init, FoldFn<S, V> folder) {
        return new Builder<>(init, folder);
    }

    private record Builder<S, V>(InitFn<S> init, FoldFn<S, V> folder)
            implements StatefulBatchBuilder<V, S, S>, UserCode, PerValue {
        @Override
        public StatefulBatchLogic<V, S, S> build(S resumeState) throws Exception {
            return new FoldFinalLogic<>(folder, resumeState != null ? resumeState : init.get());
        }

        @Override
        public Object userFunction() {
            return folder;
        }
    }

    @Override
    public void onBatch(List<V> values, Emitter<S> out) throws Exception {
        S a = acc;
        for (int i = 0, n = values.size(); i < n; i++) {
            a = folder.fold(a, values.get(i));
        }
        acc = a;
    }

    @Override
    public void onEof(Emitter<S> out) {
        out.emit(acc);
        out.discardState();
    }

    @Override
    public S snapshot() {
        return acc;
    }
}
