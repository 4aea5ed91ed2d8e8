package io.wax.engine.internal;

import io.wax.api.KV;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.PartitionedSink;
import io.wax.api.io.Sink;
import io.wax.api.io.SinkPartition;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.engine.Assignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Core operator output. A dynamic sink is written by every worker; a partitioned sink's items are
 * routed to the worker that owns their partition, and each partition is snapshotted when an
 * epoch closes. Sinks hear of every closed epoch, so that buffering sinks can flush.
 */
final class OutputOp extends Op {
    private final Sink<?> sink;
    private StatelessSinkPartition<Object> dynamic;
    private final Map<String, SinkPartition<Object, Object>> parts = new LinkedHashMap<>();
    private List<String> allParts = List.of();
    private final Map<String, Integer> owners = new HashMap<>();
    private boolean closed;
    private boolean dynamicClosed;

    OutputOp(Worker w, int index, String stepId, Sink<?> sink) {
        super(w, index, stepId, sink, 1, sink instanceof PartitionedSink);
        this.sink = sink;
    }

    @Override
    int route(List<Object> batch, int index) {
        return owners.get(partFor(batch.get(index)));
    }

    @SuppressWarnings("unchecked")
    private String partFor(Object item) {
        PartitionedSink<Object, Object> ps = (PartitionedSink<Object, Object>) sink;
        String key = ((KV<Object>) item).key();
        String part = ps.partFor(key, allParts);
        if (!owners.containsKey(part)) {
            throw new IllegalStateException("partFor('" + key + "') returned '" + part + "', which is not one of "
                    + allParts);
        }
        return part;
    }

    @Override
    @SuppressWarnings("unchecked")
    void open() throws Exception {
        if (sink instanceof PartitionedSink<?, ?> ps0) {
            PartitionedSink<Object, Object> ps = (PartitionedSink<Object, Object>) ps0;
            allParts = List.copyOf(ps.listParts());
            int[] o = Assignment.owners(stepId, allParts, w.workerCount);
            Map<String, Object> resume = w.loadAll(stepId);
            for (int i = 0; i < allParts.size(); i++) {
                String name = allParts.get(i);
                owners.put(name, o[i]);
                if (o[i] == w.index) {
                    parts.put(name, ps.buildPart(w.context(stepId, () -> { }), name, resume.get(name)));
                }
            }
        } else {
            dynamic = ((DynamicSink<Object>) sink).build(w.context(stepId, () -> { }));
        }
    }

    /**
     * Batches of epochs after this step's frontier (a faster upstream worker's), held back until
     * their epoch is open here: a sink sees an epoch's items between the previous epoch's
     * {@code epochEnd} and its own, which exactly-once sinks and recovery rely on (a kill must not
     * leave items of epoch e+1 recorded as epoch e's).
     */
    private final java.util.TreeMap<Long, List<List<Object>>> early = new java.util.TreeMap<>();

    @Override
    void process(int port, long epoch, List<Object> batch) throws Exception {
        if (epoch > frontier) {
            early.computeIfAbsent(epoch, k -> new ArrayList<>()).add(batch);
            return;
        }
        write(batch);
    }

    /** Writes the held-back batches of epochs before {@code end}. */
    private void writeEarly(long end) throws Exception {
        while (!early.isEmpty() && early.firstKey() < end) {
            for (List<Object> b : early.pollFirstEntry().getValue()) {
                write(b);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void write(List<Object> batch) throws Exception {
        if (dynamic != null) {
            dynamic.writeBatch(batch);
            return;
        }
        Map<String, List<Object>> byPart = new HashMap<>();
        for (Object item : batch) {
            byPart.computeIfAbsent(partFor(item), k -> new ArrayList<>()).add(((KV<Object>) item).value());
        }
        for (Map.Entry<String, List<Object>> e : byPart.entrySet()) {
            parts.get(e.getKey()).writeBatch(e.getValue());
        }
    }

    @Override
    void advance(long old, long now) throws Exception {
        long closedEpoch = now == DONE ? old : now - 1;
        // The early batches of the closing epochs go out epoch by epoch. Where a snapshot boundary
        // falls before an epoch's items, the state so far is snapshotted under the epoch before that
        // boundary: a commit at the boundary takes only snapshots of earlier epochs, and must find
        // the sink as it was there (else a resume would cut items that are never replayed).
        long written = old;
        while (!early.isEmpty() && (now == DONE || early.firstKey() < now)) {
            Map.Entry<Long, List<List<Object>>> e = early.pollFirstEntry();
            snapshotBefore(w.snapshotFloor(e.getKey()), written);
            for (List<Object> b : e.getValue()) {
                write(b);
            }
            written = e.getKey();
        }
        if (now != DONE) {
            snapshotBefore(w.snapshotFloor(closedEpoch), written);
        } else if (written > closedEpoch) {
            // At the end, the last epoch written here is the last one closed (as in stateful steps):
            // the final snapshot and the worker's final frontier must cover the early epochs written
            // above, or a sink's state and staged work of those epochs would never be committed (an
            // exactly-once Kafka sink left a transaction open, hiding later output from read_committed).
            closedEpoch = written;
            finalEpoch = written;
        }
        if (dynamic != null) {
            dynamic.epochEnd(closedEpoch);
        }
        for (Map.Entry<String, SinkPartition<Object, Object>> e : parts.entrySet()) {
            e.getValue().epochEnd(closedEpoch);
            if (w.recovering() && w.snapshotDue(old, now)) {
                w.snapshot(stepId, e.getKey(), closedEpoch, e.getValue().snapshot());
            }
        }
        if (now == DONE) {
            if (w.recovering()) {
                // Partitions stay open until the worker has heard that the last epoch is durable
                // (epochDurable, then close): an exactly-once sink commits only then.
                closeDynamic();
            } else {
                close();
            }
        } else {
            writeEarly(now + 1); // the epoch that is open now
        }
        forward(now);
    }

    /**
     * Snapshots every partition under the epoch before {@code boundary} when that boundary lies
     * after the epochs written so far (the epochs between carried no items here).
     */
    private void snapshotBefore(long boundary, long written) throws Exception {
        if (boundary <= written || !w.recovering()) {
            return;
        }
        for (Map.Entry<String, SinkPartition<Object, Object>> e : parts.entrySet()) {
            e.getValue().epochEnd(boundary - 1);
            w.snapshot(stepId, e.getKey(), boundary - 1, e.getValue().snapshot());
        }
    }

    @Override
    void durable(long epoch) throws Exception {
        for (SinkPartition<Object, Object> p : parts.values()) {
            p.epochDurable(epoch);
        }
    }

    @Override
    void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        closeDynamic();
        for (SinkPartition<Object, Object> p : parts.values()) {
            p.close();
        }
    }

    private void closeDynamic() throws Exception {
        if (dynamic == null || dynamicClosed) {
            return;
        }
        dynamicClosed = true;
        StatelessSinkPartition<Object> d = dynamic;
        if (w.ex.failed()) {
            // A failed run: what was computed still reaches the sink, as it would have once its
            // epoch opened (the epoch is not committed, so a resume may show it again).
            while (!early.isEmpty()) {
                for (List<Object> b : early.pollFirstEntry().getValue()) {
                    d.writeBatch(b);
                }
            }
        }
        d.close();
    }
}
