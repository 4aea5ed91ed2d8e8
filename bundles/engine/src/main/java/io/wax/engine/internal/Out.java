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

    /** This worker's spare keyed batches; looked up on first use, after the execution is built. */
    private BatchPool pool;

    BatchPool pool() {
        BatchPool p = pool;
        if (p == null) {
            pool = p = w.ex.exchange.pool(w.index);
        }
        return p;
    }

    void batch(long epoch, List<Object> batch) {
        writer.itemsOut += batch.size();
        if (readers.length != 1 && (Object) batch instanceof KeyedBatch<?> kb) {
            // Read by several steps: none of them may hand it back for reuse.
            kb.pin();
        }
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
    /** Per worker, the items and the part of the batch being scattered; reused. */
    private int[] counts;
    private List<Object>[] parts;

    /**
     * Splits a batch by the reader's routing: one pass to route and count, so that each worker's
     * part is made at its exact size, one to fill. Keyed parts come from the worker's pool.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void scatter(Op r, int port, long epoch, List<Object> batch) {
        int n = w.workerCount;
        int m = batch.size();
        if (dest.length < m) {
            dest = new int[Math.max(m, 2 * dest.length)];
        }
        int[] d = dest;
        if (counts == null) {
            counts = new int[n];
            parts = new List[n];
        }
        int[] counts = this.counts;
        java.util.Arrays.fill(counts, 0);
        for (int j = 0; j < m; j++) {
            int to = r.route(batch, j);
            d[j] = to;
            counts[to]++;
        }
        // Keyed batches stay keyed batches: no KV object is made for the move.
        KeyedBatch<Object> keyed = (Object) batch instanceof KeyedBatch<?> k ? (KeyedBatch<Object>) k : null;
        List<Object>[] parts = this.parts;
        for (int v = 0; v < n; v++) {
            // Each keyed part has one reader, the step on worker v, which hands it back once read.
            parts[v] = counts[v] == 0 ? null : keyed != null ? (List) pool().take(counts[v]) : new ArrayList<>(counts[v]);
        }
        for (int j = 0; j < m; j++) {
            if (keyed != null) {
                ((KeyedBatch<Object>) (List) parts[d[j]]).add(keyed.key(j), keyed.value(j));
            } else {
                parts[d[j]].add(batch.get(j));
            }
        }
        // Split: this Out, the batch's one reader, is done with it.
        pool().give(batch);
        for (int v = 0; v < n; v++) {
            List<Object> part = parts[v];
            if (part == null) {
                continue;
            }
            parts[v] = null;
            if (v == w.index) {
                r.onBatch(port, epoch, part);
            } else {
                try {
                    w.ex.exchange.send(w, v, new Msg(r.index, port, w.index, epoch, part));
                } catch (MissingCodecException e) {
                    // Name the step the items were on their way to, not the one that emitted them.
                    throw new StepFailure(r.stepId, r.userFn, epoch, e);
                }
            }
        }
    }
}
