package io.wax.engine.internal;

import io.wax.api.InspectDebugFn;
import java.util.List;

/** Core operator inspect_debug: shows each item with its epoch and worker, and passes it on. */
final class InspectDebugOp extends Op {
    private final InspectDebugFn<Object> fn;

    @SuppressWarnings("unchecked")
    InspectDebugOp(Worker w, int index, String stepId, InspectDebugFn<?> fn) {
        super(w, index, stepId, fn, 1, false);
        this.fn = (InspectDebugFn<Object>) fn;
    }

    @Override
    void process(int port, long epoch, List<Object> batch) throws Exception {
        for (int i = 0, n = batch.size(); i < n; i++) {
            fn.inspect(stepId, batch.get(i), epoch, w.index);
        }
        outs[0].batch(epoch, batch);
    }
}
