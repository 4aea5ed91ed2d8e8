package io.wax.engine.internal;

import java.util.List;

/**
 * Core operators merge and redistribute, which pass batches on unchanged. Merge reads several
 * ports; redistribute is exchanged, and routes items round-robin over every worker.
 */
final class PassOp extends Op {
    private final boolean spread;
    private int next;

    PassOp(Worker w, int index, String stepId, int ports, boolean spread) {
        super(w, index, stepId, null, ports, spread);
        this.spread = spread;
        this.next = w.index;
    }

    @Override
    int route(List<Object> batch, int index) {
        int to = next;
        next = to + 1 == w.workerCount ? 0 : to + 1;
        return to;
    }

    @Override
    void process(int port, long epoch, List<Object> batch) {
        outs[0].batch(epoch, batch);
    }
}
