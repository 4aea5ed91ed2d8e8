package io.wax.engine.internal;

import io.wax.api.codec.MissingCodecException;
import io.wax.plan.KeyedBatch;
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
    /** The op that writes this stream, whose items out it counts. */
    private final Op writer;
    private final Op[] readers;
    private final int[] ports;

    Out(Worker w, Op writer, Op[] readers, int[] ports) {
        this.w = w;
        this.writer = writer;
        this.readers = readers;
        this.ports = ports;
    }

    /** The only reader of this stream when there is exactly one, local one; otherwise null. */
    Op soleReader() {
        return readers.length == 1 && !readers[0].exchanged() ? readers[0] : null;
    }

    void batch(long epoch, List<Object> batch) {
        writer.itemsOut += batch.size();
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
                    w.ex.exchange.send(w, v, Msg.frontier(r.index, ports[i], w.index, f));
                }
            }
        }
    }

    /** Worker of each item of the batch being scattered; reused. */
    private int[] dest = new int[0];

    /**
     * Splits a batch by the reader's routing: one pass to route and count, so that each worker's
     * part is allocated at its exact size, one to fill.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void scatter(Op r, int port, long epoch, List<Object> batch) {
        int n = w.workerCount;
        int m = batch.size();
        if (dest.length < m) {
            dest = new int[Math.max(m, 2 * dest.length)];
        }
        int[] d = dest;
        int[] counts = new int[n];
        for (int j = 0; j < m; j++) {
            int to = r.route(batch, j);
            d[j] = to;
            counts[to]++;
        }
        // Keyed batches stay keyed batches: no KV object is made for the move.
        KeyedBatch<Object> keyed = (Object) batch instanceof KeyedBatch<?> k ? (KeyedBatch<Object>) k : null;
        List<Object>[] parts = new List[n];
        for (int v = 0; v < n; v++) {
            if (counts[v] > 0) {
                parts[v] = keyed != null ? (List) new KeyedBatch<>(counts[v]) : new ArrayList<>(counts[v]);
            }
        }
        for (int j = 0; j < m; j++) {
            if (keyed != null) {
                ((KeyedBatch<Object>) (List) parts[d[j]]).add(keyed.key(j), keyed.value(j));
            } else {
                parts[d[j]].add(batch.get(j));
            }
        }
        for (int v = 0; v < n; v++) {
            if (parts[v] == null) {
                continue;
            }
            if (v == w.index) {
                r.onBatch(port, epoch, parts[v]);
            } else {
                try {
                    w.ex.exchange.send(w, v, new Msg(r.index, port, w.index, epoch, parts[v]));
                } catch (MissingCodecException e) {
                    // Name the step the items were on their way to, not the one that emitted them.
                    throw new StepFailure(r.stepId, r.userFn, epoch, e);
                }
            }
        }
    }
}
