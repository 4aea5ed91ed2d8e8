package io.wax.engine.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One output stream of an op on one worker, and every input port that reads it. Local readers
 * are called directly, so a chain of local steps runs as nested calls with no queue in between.
 * Exchanged readers get each item on the worker picked by the reader's {@link Op#route}; the
 * part for this worker is still a direct call, the rest goes through the {@link Exchange}.
 */
final class Out {
    private final Worker w;
    private final Op[] readers;
    private final int[] ports;

    Out(Worker w, Op[] readers, int[] ports) {
        this.w = w;
        this.readers = readers;
        this.ports = ports;
    }

    void batch(long epoch, List<Object> batch) {
        for (int i = 0; i < readers.length; i++) {
            Op r = readers[i];
            if (!r.exchanged() || w.workerCount == 1) {
                r.onBatch(ports[i], epoch, batch);
            } else {
                scatter(r, ports[i], epoch, batch);
            }
        }
    }

    void frontier(long f) {
        for (int i = 0; i < readers.length; i++) {
            Op r = readers[i];
            if (!r.exchanged()) {
                r.onFrontier(ports[i], 0, f);
                continue;
            }
            for (int v = 0; v < w.workerCount; v++) {
                if (v == w.index) {
                    r.onFrontier(ports[i], w.index, f);
                } else {
                    w.exchange.send(v, Msg.frontier(r.index, ports[i], w.index, f));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void scatter(Op r, int port, long epoch, List<Object> batch) {
        int n = w.workerCount;
        ArrayList<Object>[] parts = new ArrayList[n];
        int expect = batch.size() / n + 1;
        for (int j = 0, m = batch.size(); j < m; j++) {
            Object item = batch.get(j);
            int to = r.route(item);
            ArrayList<Object> p = parts[to];
            if (p == null) {
                p = parts[to] = new ArrayList<>(expect);
            }
            p.add(item);
        }
        for (int v = 0; v < n; v++) {
            if (parts[v] == null) {
                continue;
            }
            if (v == w.index) {
                r.onBatch(port, epoch, parts[v]);
            } else {
                w.exchange.send(v, new Msg(r.index, port, w.index, epoch, parts[v]));
            }
        }
    }
}
