package io.wax.engine.internal;

import io.wax.api.BatchFn;
import java.util.List;

/** Core operator flat_map_batch: one call of the user's function per batch. */
final class FlatMapBatchOp extends Op {
    private final BatchFn<Object, Object> fn;

    @SuppressWarnings("unchecked")
    FlatMapBatchOp(Worker w, int index, String stepId, BatchFn<?, ?> fn) {
        super(w, index, stepId, fn, 1, false);
        this.fn = (BatchFn<Object, Object>) fn;
    }

    @Override
    void process(int port, long epoch, List<Object> batch) throws Exception {
        List<Object> out = fn.apply(batch);
        if (out != null && !out.isEmpty()) {
            outs[0].batch(epoch, out);
        }
    }
}
