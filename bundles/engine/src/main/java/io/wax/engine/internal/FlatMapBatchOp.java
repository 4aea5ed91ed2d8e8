package io.wax.engine.internal;

import io.wax.api.BatchFn;
import io.wax.plan.KeyedBatch;
import io.wax.plan.PerItem;
import java.util.ArrayList;
import java.util.List;

/**
 * Core operator flat_map_batch: one call of the user's function per batch. When this step and
 * the steps that read it alone are all per-item functions ({@link PerItem}), the first of them
 * runs the whole chain in one pass per batch ({@link #fuse()}): each item travels through every
 * step before the next item starts, and only the chain's last step produces a batch. The fused
 * steps stay in place for frontiers and for naming the step in errors.
 */
final class FlatMapBatchOp extends Op {
    private final BatchFn<Object, Object> fn;
    /** Set on a step whose function another step's chain runs. */
    private boolean fused;
    /** For a chain's first step: its stages, first to last; empty when not fused. */
    private Stage[] chain = new Stage[0];
    /** The fused step that reads this one's items, whose items in are this one's items out. */
    private FlatMapBatchOp fusedNext;

    @SuppressWarnings("unchecked")
    FlatMapBatchOp(Worker w, int index, String stepId, BatchFn<?, ?> fn) {
        super(w, index, stepId, fn, 1, false);
        this.fn = (BatchFn<Object, Object>) fn;
    }

    /** One step of a fused chain: runs its function on an item, naming itself if it throws. */
    private static final class Stage implements PerItem.Next<Object> {
        final FlatMapBatchOp op;
        final PerItem<Object, Object> fn;
        /** Whether this stage counts its items in: all but the chain's head, which its batches count. */
        boolean counts;
        PerItem.Next<Object> next;
        long epoch;

        @SuppressWarnings("unchecked")
        Stage(FlatMapBatchOp op) {
            this.op = op;
            this.fn = (PerItem<Object, Object>) op.fn;
        }

        @Override
        public void accept(Object item) {
            if (counts) {
                op.itemsIn++;
            }
            try {
                fn.apply(item, next);
            } catch (StepFailure f) {
                throw f;
            } catch (Exception | Error e) {
                throw new StepFailure(op.stepId, op.userFn, epoch, e);
            }
        }
    }

    /** Builds this step's chain if it heads one: called once, after wiring, in plan order. */
    void fuse() {
        if (fused || !(fn instanceof PerItem)) {
            return;
        }
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage(this));
        FlatMapBatchOp tail = this;
        while (tail.outs.length == 1 && tail.outs[0].soleReader() instanceof FlatMapBatchOp next
                && next.fn instanceof PerItem) {
            next.fused = true;
            Stage stage = new Stage(next);
            stage.counts = true;
            stages.add(stage);
            tail.fusedNext = next;
            tail = next;
        }
        // A lone per-item step runs as a chain of one too: the engine then makes its output
        // batch, and so can take a keyed one from the worker's pool.
        chain = stages.toArray(Stage[]::new);
    }

    /**
     * For a stuck worker's report: the step of this chain whose function the stack is in. Stage
     * {@code k} runs inside the {@code accept} calls of stages 1 to k, so their count says which.
     */
    Op stageIn(StackTraceElement[] stack) {
        if (chain.length == 0) {
            return this;
        }
        int depth = 0;
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals(FlatMapBatchOp.class.getName()) && e.getMethodName().equals("process")) {
                break;
            }
            if (e.getClassName().equals(Stage.class.getName()) && e.getMethodName().equals("accept")) {
                depth++;
            }
        }
        return depth == 0 ? this : chain[Math.min(depth, chain.length) - 1].op;
    }

    @Override
    public long itemsOut() {
        FlatMapBatchOp next = fusedNext;
        return next != null ? next.itemsIn : itemsOut;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    void process(int port, long epoch, List<Object> batch) throws Exception {
        if (fused) {
            throw new IllegalStateException("step " + stepId + " is fused into its upstream and gets no batches");
        }
        if (chain.length == 0) {
            if ((Object) batch instanceof KeyedBatch<?> kb) {
                // The user's function may keep the batch or pass it on: it is never reused.
                kb.pin();
            }
            emit(epoch, fn.apply(batch));
            return;
        }
        Stage[] c = chain;
        List<Object> out;
        PerItem.Next<Object> last;
        if (c[c.length - 1].fn.keyed()) {
            // A keyed batch takes its items as key and value apart: no KV per item (PerItem.KeyedNext).
            KeyedBatch<Object> kb = outs[0].pool().take(batch.size());
            out = (List) kb;
            last = (PerItem.Next) kb;
        } else {
            ArrayList<Object> list = new ArrayList<>(batch.size());
            out = list;
            last = list::add;
        }
        if (c.length == 1) {
            // A lone step: the loop ItemWise.apply would run, with no stage between (onBatch
            // names this step in errors as the stage would).
            PerItem<Object, Object> f = c[0].fn;
            for (int i = 0, n = batch.size(); i < n; i++) {
                f.apply(batch.get(i), last);
            }
        } else {
            for (int i = 0; i < c.length; i++) {
                c[i].epoch = epoch;
                c[i].next = i + 1 < c.length ? c[i + 1] : last;
            }
            Stage head = c[0];
            for (int i = 0, n = batch.size(); i < n; i++) {
                head.accept(batch.get(i));
            }
        }
        // Read through: a recyclable input batch has this chain as its one reader.
        outs[0].pool().give(batch);
        c[c.length - 1].op.emit(epoch, out);
    }

    private void emit(long epoch, List<Object> out) {
        if (out != null && !out.isEmpty()) {
            outs[0].batch(epoch, out);
        } else if (out != null) {
            outs[0].pool().give(out);
        }
    }
}
