package io.wax.engine.internal;

import io.wax.api.FilterFn;
import io.wax.plan.KeyedBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Core operator branch: items the predicate accepts go to the first output, others to the second.
 * A batch that goes one way whole is passed on as it is (batches are immutable once emitted); a
 * keyed batch that splits is split into keyed batches. Either way keyed items stay in parallel
 * arrays instead of becoming a {@code KV} each (a window operator's output goes through two
 * branches, almost always one way whole).
 */
final class BranchOp extends Op {
    private final FilterFn<Object> predicate;

    @SuppressWarnings("unchecked")
    BranchOp(Worker w, int index, String stepId, FilterFn<?> predicate) {
        super(w, index, stepId, predicate, 1, false);
        this.predicate = (FilterFn<Object>) predicate;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    void process(int port, long epoch, List<Object> batch) throws Exception {
        int n = batch.size();
        boolean[] ok = new boolean[n];
        int yes = 0;
        for (int i = 0; i < n; i++) {
            if (predicate.test(batch.get(i))) {
                ok[i] = true;
                yes++;
            }
        }
        if (yes == n || yes == 0) {
            if (n > 0) {
                outs[yes == n ? 0 : 1].batch(epoch, batch);
            }
            return;
        }
        if ((Object) batch instanceof KeyedBatch<?> k) {
            KeyedBatch<Object> kb = (KeyedBatch<Object>) k;
            KeyedBatch<Object> trues = new KeyedBatch<>(yes);
            KeyedBatch<Object> falses = new KeyedBatch<>(n - yes);
            for (int i = 0; i < n; i++) {
                (ok[i] ? trues : falses).add(kb.key(i), kb.value(i));
            }
            outs[0].batch(epoch, (List) trues);
            outs[1].batch(epoch, (List) falses);
            return;
        }
        List<Object> trues = new ArrayList<>(yes);
        List<Object> falses = new ArrayList<>(n - yes);
        for (int i = 0; i < n; i++) {
            (ok[i] ? trues : falses).add(batch.get(i));
        }
        outs[0].batch(epoch, trues);
        outs[1].batch(epoch, falses);
    }
}
