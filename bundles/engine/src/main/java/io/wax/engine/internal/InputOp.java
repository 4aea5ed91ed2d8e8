package io.wax.engine.internal;

import io.wax.api.io.ReportsLag;
import io.wax.spi.monitor.PartitionLag;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.Source;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.engine.Assignment;
import io.wax.plan.KeyedBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Core operator input: polls this worker's partitions of a source, tags batches with the open
 * epoch, and closes an epoch every epoch interval (snapshotting partition positions). When every
 * partition has ended, its frontier jumps to done.
 */
final class InputOp extends Op {
    /** Longest pause between polls of a partition that keeps returning nothing. */
    private static final long MAX_BACKOFF_NANOS = 100_000_000L;
    /** Longest wait for a partition's {@code nextAwake}. */
    private static final java.time.Duration MAX_AWAKE = java.time.Duration.ofHours(1);

    private final Source<?> source;
    private final List<Part> parts = new ArrayList<>();
    private long nextBoundaryMs;
    private volatile boolean wakeRequested;
    /** The partitions once opened, for monitors on other threads. */
    private volatile Part[] opened = new Part[0];
    /** Zero epoch interval: an epoch closes after every batch (Bytewax's zero epoch interval). */
    private final boolean epochPerBatch;
    /** In epoch-per-batch mode, the partition polled first next time, so that none starves. */
    private int firstPart;

    private static final class Part {
        final String name;
        final SourcePartition<?, ?> partitioned;
        final StatelessSourcePartition<?> dynamic;
        long awakeNanos;
        int emptyPolls;
        boolean ended;

        Part(String name, SourcePartition<?, ?> p, StatelessSourcePartition<?> d) {
            this.name = name;
            this.partitioned = p;
            this.dynamic = d;
        }
    }

    InputOp(Worker w, int index, String stepId, Source<?> source) {
        super(w, index, stepId, source, 0, false);
        this.source = source;
        this.nextBoundaryMs = w.epochBoundaryAfter(w.startEpoch);
        this.epochPerBatch = w.ex.epochMs == 0;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    void open() throws Exception {
        if (source instanceof PartitionedSource ps) {
            List<String> all = ps.listParts();
            Map<String, Object> resume = w.loadAll(stepId);
            for (String name : Assignment.partsOf(stepId, all, w.index, w.workerCount)) {
                parts.add(new Part(name, ps.buildPart(w.context(stepId, this::wake), name, resume.get(name)), null));
            }
        } else {
            DynamicSource<?> ds = (DynamicSource<?>) source;
            parts.add(new Part("dynamic", null, ds.build(w.context(stepId, this::wake))));
        }
        opened = parts.toArray(Part[]::new);
    }

    /** Adds the lag of each of this worker's partitions that reports one. */
    void lags(List<PartitionLag> into) {
        for (Part p : opened) {
            if (p.partitioned instanceof ReportsLag r && !p.ended) {
                into.add(new PartitionLag(stepId, p.name, w.index, r.lag()));
            }
        }
    }

    private void wake() {
        wakeRequested = true;
        w.inbox.wake();
    }

    /** Called every loop: finishes at once when this worker has no partitions. */
    boolean start() {
        if (parts.isEmpty() && frontier != DONE) {
            finish();
            return true;
        }
        return false;
    }

    /**
     * Closes every epoch up to {@code last} for a graceful stop, as {@link #tick} would at their
     * ends; the input is not polled again in this run.
     */
    void closeThrough(long last) {
        if (frontier == DONE || frontier > last) {
            return;
        }
        snapshot(frontier, last + 1);
        long old = frontier;
        frontier = last + 1;
        moveFrontier(old, frontier);
    }

    /** Closes the open epoch if its time is up. */
    boolean tick(long nowMs) {
        if (frontier == DONE || nowMs < nextBoundaryMs) {
            return false;
        }
        long next = w.epochAt(nowMs);
        snapshot(frontier, next);
        long old = frontier;
        frontier = next;
        nextBoundaryMs = w.epochBoundaryAfter(next);
        moveFrontier(old, next);
        return true;
    }

    private void moveFrontier(long old, long next) {
        try {
            advance(old, next);
        } catch (RuntimeException e) {
            // A downstream step that failed while closing the epoch has already named itself.
            throw wrap(e, old);
        } catch (Exception e) {
            throw new StepFailure(stepId, userFn, old, e);
        }
    }

    /** Polls every partition that is due; returns whether anything was read or ended. */
    @SuppressWarnings("unchecked")
    boolean poll(long nowNanos) {
        if (frontier == DONE || awaitingCommit()) {
            return false;
        }
        boolean woken = wakeRequested;
        if (woken) {
            wakeRequested = false;
        }
        boolean progressed = false;
        boolean allEnded = true;
        int n = parts.size();
        int start = epochPerBatch ? firstPart % n : 0;
        for (int k = 0; k < n; k++) {
            Part p = parts.get((start + k) % n);
            if (p.ended) {
                continue;
            }
            if (!woken && nowNanos - p.awakeNanos < 0 || awaitingCommit()) {
                allEnded = false;
                continue;
            }
            List<Object> batch;
            Instant awake;
            w.current = this;
            try {
                if (p.partitioned != null) {
                    batch = (List<Object>) p.partitioned.nextBatch();
                    awake = p.partitioned.nextAwake();
                } else {
                    batch = (List<Object>) p.dynamic.nextBatch();
                    awake = p.dynamic.nextAwake();
                }
            } catch (RuntimeException e) {
                throw wrap(e, frontier);
            } catch (Exception | Error e) {
                throw new StepFailure(stepId, userFn, frontier, e);
            } finally {
                w.current = null;
            }
            if (batch == null) {
                p.ended = true;
                progressed = true;
                continue;
            }
            allEnded = false;
            if (batch.isEmpty()) {
                p.emptyPolls++;
            } else {
                p.emptyPolls = 0;
                progressed = true;
                itemsIn += batch.size();
                if ((Object) batch instanceof KeyedBatch<?> kb) {
                    // Came from user code (a sink may hand on the batches it was given): never reused.
                    kb.pin();
                }
                outs[0].batch(frontier, batch);
                if (epochPerBatch) {
                    firstPart = (start + k + 1) % n;
                    closeEpoch(frontier + 1);
                }
            }
            // Read the clocks after nextBatch: the partition's wish counts from when it was made.
            p.awakeNanos = awakeNanos(awake, p.emptyPolls);
        }
        if (allEnded) {
            finish();
        }
        return progressed;
    }

    /**
     * In epoch-per-batch mode with recovery, the next batch waits until every worker of every
     * process has committed the epoch before it (its items may have gone to another worker, in
     * this process or another), so that an abort or a crash after a batch resumes after it.
     */
    private boolean awaitingCommit() {
        return epochPerBatch && w.recovering() && w.ex.durableFrontier() < w.snapshotFloor(frontier);
    }

    private void closeEpoch(long next) {
        snapshot(frontier, next);
        long old = frontier;
        frontier = next;
        moveFrontier(old, next);
    }

    /**
     * When to poll a partition next: its own wish (never before it: counted in nanoseconds, and
     * rounded up), or at once after data, or a growing back-off.
     */
    private static long awakeNanos(Instant awake, int emptyPolls) {
        // The wall clock first, then the nanosecond one: a pause between the two reads (this
        // thread descheduled) then makes the wait longer, never shorter. Instant.now() is
        // truncated to its clock's resolution, which also errs on the late side.
        Instant wall = awake == null ? null : Instant.now();
        long nowNanos = System.nanoTime();
        if (awake != null) {
            java.time.Duration delay = java.time.Duration.between(wall, awake);
            if (delay.compareTo(MAX_AWAKE) > 0) {
                delay = MAX_AWAKE; // polled again then, and asked again: no overflow of nanos
            }
            return nowNanos + Math.max(0, delay.toNanos());
        }
        if (emptyPolls == 0) {
            return nowNanos;
        }
        return nowNanos + Math.min(MAX_BACKOFF_NANOS, 1_000_000L << Math.min(emptyPolls - 1, 10));
    }

    /** The earliest time, in nanos, at which this input wants to run again. */
    long wakeNanos(long nowNanos, long nowMs) {
        if (frontier == DONE) {
            return Long.MAX_VALUE;
        }
        long t = nextBoundaryMs == Long.MAX_VALUE ? nowNanos + 60_000_000_000L
                : nowNanos + Math.max(0, nextBoundaryMs - nowMs) * 1_000_000L;
        if (awaitingCommit()) {
            return t; // every worker's commit wakes this one
        }
        for (Part p : parts) {
            if (!p.ended && p.awakeNanos - t < 0) {
                t = p.awakeNanos;
            }
        }
        return t;
    }

    private void finish() {
        snapshot(frontier, DONE);
        long old = frontier;
        finalEpoch = old;
        frontier = DONE;
        w.opDone();
        moveFrontier(old, DONE);
        closeParts();
    }

    /** Snapshots every partition's position, labelled {@code epoch}, when closing up to {@code now} is due. */
    private void snapshot(long epoch, long now) {
        if (!w.recovering() || !(source instanceof PartitionedSource) || !w.snapshotDue(epoch, now)) {
            return;
        }
        for (Part p : parts) {
            try {
                w.snapshot(stepId, p.name, epoch, p.partitioned.snapshot());
            } catch (Exception e) {
                throw new StepFailure(stepId, userFn, epoch, e);
            }
        }
    }

    private void closeParts() {
        for (Part p : parts) {
            try {
                if (p.partitioned != null) {
                    p.partitioned.close();
                } else {
                    p.dynamic.close();
                }
            } catch (Exception e) {
                w.log("closing partition " + p.name + " of " + stepId + " failed: " + e);
            }
        }
        parts.clear();
    }

    @Override
    void durable(long epoch) throws Exception {
        for (Part p : parts) {
            if (p.partitioned != null) {
                p.partitioned.epochDurable(epoch);
            }
        }
    }

    @Override
    void process(int port, long epoch, List<Object> batch) {
        throw new IllegalStateException("input steps have no input ports");
    }

    @Override
    void close() {
        closeParts();
    }
}
