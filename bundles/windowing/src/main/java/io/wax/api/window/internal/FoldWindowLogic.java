package io.wax.api.window.internal;

import io.wax.api.FoldFn;
import io.wax.api.InitFn;
import io.wax.api.ReduceFn;
import io.wax.api.window.WindowLogic;
import java.util.function.Consumer;

/**
 * Folds a window's values into an accumulator, emitted when the window fires. The accumulator is
 * its own snapshot, so it should be an immutable value.
 */
public final class FoldWindowLogic<V, A> implements WindowLogic<V, A, A> {
    private final FoldFn<A, ? super V> folder;
    private final ReduceFn<A> merger;
    private A acc;

    private FoldWindowLogic(FoldFn<A, ? super V> folder, ReduceFn<A> merger, A acc) {
        this.folder = folder;
        this.merger = merger;
        this.acc = acc;
    }

    public static <V, A> WindowLogic.Builder<V, A, A> builder(InitFn<A> init, FoldFn<A, ? super V> folder,
                                                               ReduceFn<A> merger) {
        return resume -> new FoldWindowLogic<>(folder, merger, resume != null ? resume : init.get());
    }

    @Override
    public void onValue(V value, Consumer<? super A> out) throws Exception {
        acc = folder.fold(acc, value);
    }

    @Override
    public void onMerge(A original, Consumer<? super A> out) throws Exception {
        if (merger == null) {
            throw new UnsupportedOperationException("windows merged (sessions) but this fold has no merger;"
                    + " pass one to fold(stepId, init, folder, merger)");
        }
        acc = merger.reduce(acc, original);
    }

    @Override
    public void onClose(Consumer<? super A> out) {
        out.accept(acc);
    }

    @Override
    public A snapshot() {
        return acc;
    }
}
