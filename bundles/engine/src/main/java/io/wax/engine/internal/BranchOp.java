package io.wax.engine.internal;

import io.wax.api.FilterFn;
import java.util.ArrayList;
import java.util.List;

/** Core operator branch: items the predicate accepts go to the first output, others to the second. */
final class BranchOp extends Op {
    private final FilterFn<Object> predicate;

    @SuppressWarnings("unchecked")
    BranchOp(Worker w, int index, String stepId, FilterFn<?> predicate) {
        super(w, index, stepId, predicate, 1, false);
        this.predicate = (FilterFn<Object>) predicate;
    }

    @Override
    void process(int port, long epoch, List<Object> batch) throws Exception {
        List<Object> trues = new ArrayList<>(batch.size());
        List<Object> falses = new ArrayList<>();
        for (int i = 0, n = batch.size(); i < n; i++) {
            Object x = batch.get(i);
            (predicate.test(x) ? trues : falses).add(x);
        }
        if (!trues.isEmpty()) {
            outs[0].batch(epoch, trues);
        }
        if (!falses.isEmpty()) {
            outs[1].batch(epoch, falses);
        }
    }
}
