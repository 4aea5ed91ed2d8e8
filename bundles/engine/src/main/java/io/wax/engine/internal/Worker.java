package io.wax.engine.internal;

import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.DecodeException;
import io.wax.api.codec.ReceivedStrings;
import io.wax.api.codec.SentStrings;
import io.wax.api.codec.StringCache;
import io.wax.api.io.WorkerContext;
import io.wax.plan.Step;
import io.wax.spi.engine.ClusterException;
import io.wax.spi.monitor.PartitionLag;
import io.wax.spi.monitor.RunEvents;
import io.wax.spi.monitor.WorkerFigures;
import io.wax.spi.recovery.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker thread: its own instance of every step, run in a loop that drains the inbox, closes
 * epochs, fires timers and polls sources, and sleeps when there is nothing to do until the
 * earliest thing it waits for (a message, a timer, an epoch boundary, a source's next poll).
 */
final class Worker implements Runnable, WorkerFigures {
    final Execution ex;
    /** This worker's index over every process of the cluster. */
    final int index;
    /** Workers over every process of the cluster. */
    final int workerCount;
    final long startEpoch;
    final Inbox inbox = new Inbox();
    final Op[] ops;
    /** Encodes this worker's frames for other processes, and its snapshots; made on first use. */
    private ByteWriter writer;
    /** Recent keys decoded from other processes' frames: 4,096 slots, about 16 KB. */
    private StringCache strings;
    /**
     * The strings of this worker's frames to each other worker, by op and worker, and of each
     * other worker's frames to this one, by op and sender (see {@link SentStrings}): made on first use.
     */
    private SentStrings[][] sent;
    private ReceivedStrings[][] received;
    /** This worker's frames for workers of other processes, gathered (see {@link Outgoing}); made on first use. */
    private Outgoing outgoing;
    private final List<InputOp> inputs = new ArrayList<>();
    private final List<StatefulBatchOp> statefuls = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    private int opsDone;
    /** Read by the other workers of this process in epoch-per-batch mode. */
    private volatile long committedFrontier;
    private volatile boolean finished;
    /** Epochs per snapshot period: {@code -s} over the epoch interval, rounded up. */
    private final long snapshotEpochs;
    private final boolean recovering;
    /**
     * The step whose code this worker runs now (innermost), for the report on a stuck worker. A
     * plain field: written per batch on this thread, read rarely and racily by another.
     */
    Op current;
    /** What ended this worker's thread, if it did not end normally. */
    volatile Throwable error;
    /** Whether the loop returned normally: at end of input or after a graceful stop. */
    volatile boolean ended;
    /** Set once this worker's inputs have stopped polling for a graceful stop. */
    private boolean inputsStopped;
    private boolean stopEpochClosed;

    // Figures: plain fields written by this worker's thread only, read racily by monitors.
    /** When the inputs were last found held back by a full inbox, or 0 while they are not. */
    private long heldSince;
    private long heldNanos;
    private long snapshotCommits;
    private long snapshotBytes;
    private long snapshotNanos;
    /** Told about epoch closes and snapshots, or null. */
    private final RunEvents events;
    /** The frontier last reported to {@link #events}. */
    private long eventFrontier;
    /** The durable frontier ({@link Execution#durableFrontier}) last passed to the sources and sinks. */
    private long durableDelivered;

    Worker(Execution ex, int local) {
        this.ex = ex;
        this.index = ex.firstWorker + local;
        this.workerCount = ex.workerCount;
        this.startEpoch = ex.startEpoch;
        this.committedFrontier = ex.startEpoch;
        this.snapshotEpochs = ex.options.snapshotEpochs();
        this.recovering = ex.store != null;
        this.events = ex.options.events();
        this.eventFrontier = ex.startEpoch;
        this.durableDelivered = ex.startEpoch;
        List<Step> steps = ex.plan.steps();
        this.ops = new Op[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            ops[i] = create(steps.get(i), i);
        }
        wire(steps);
        for (Op op : ops) {
            if (op instanceof FlatMapBatchOp f) {
                f.fuse();
            }
        }
    }

    private Op create(Step step, int i) {
        if (step instanceof Step.Input s) {
            return add(inputs, new InputOp(this, i, s.id(), s.source()));
        } else if (step instanceof Step.Output s) {
            return new OutputOp(this, i, s.id(), s.sink());
        } else if (step instanceof Step.FlatMapBatch s) {
            return new FlatMapBatchOp(this, i, s.id(), s.fn());
        } else if (step instanceof Step.Branch s) {
            return new BranchOp(this, i, s.id(), s.predicate());
        } else if (step instanceof Step.Merge s) {
            return new PassOp(this, i, s.id(), s.ups().size(), false);
        } else if (step instanceof Step.Redistribute s) {
            return new PassOp(this, i, s.id(), 1, true);
        } else if (step instanceof Step.InspectDebug s) {
            return new InspectDebugOp(this, i, s.id(), s.fn());
        } else if (step instanceof Step.StatefulBatch s) {
            return add(statefuls, new StatefulBatchOp(this, i, s.id(), s.builder()));
        }
        throw new IllegalArgumentException("unknown core step " + step);
    }

    private static <T extends Op> T add(List<? super T> list, T op) {
        list.add(op);
        return op;
    }

    /** Connects every op's outputs to the ports that read them. */
    private void wire(List<Step> steps) {
        Map<String, List<int[]>> readers = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            List<String> ups = steps.get(i).ups();
            for (int p = 0; p < ups.size(); p++) {
                readers.computeIfAbsent(ups.get(p), k -> new ArrayList<>()).add(new int[] {i, p});
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            List<String> downs = steps.get(i).downs();
            Out[] outs = new Out[downs.size()];
            for (int d = 0; d < downs.size(); d++) {
                List<int[]> rs = readers.getOrDefault(downs.get(d), List.of());
                Op[] rops = new Op[rs.size()];
                int[] ports = new int[rs.size()];
                for (int r = 0; r < rs.size(); r++) {
                    rops[r] = ops[rs.get(r)[0]];
                    ports[r] = rs.get(r)[1];
                }
                outs[d] = new Out(this, ops[i], rops, ports);
            }
            ops[i].outs = outs;
        }
    }

    @Override
    public void run() {
        inbox.owner(Thread.currentThread());
        if (reserve == null) {
            reserve = new byte[RESERVE_BYTES];
        }
        try {
            if (!ex.awaitStart()) {
                return; // the cluster failed (or disagreed) before this worker opened anything
            }
            for (Op op : ops) {
                current = op;
                try {
                    op.open();
                } catch (RuntimeException e) {
                    throw op.wrap(e, startEpoch);
                } catch (Exception e) {
                    throw new StepFailure(op.stepId, op.userFn, startEpoch, e);
                }
            }
            current = null;
            loop();
            ended = true;
        } catch (Throwable t) {
            // Kept before anything that allocates: out of memory, fail() itself may throw, and
            // await() then still finds the error here.
            error = t;
            if (outOfMemory(t)) {
                // The failing step may still hold the heap: free the reserve, so that reporting the
                // error (here and on the framework's threads) has room to allocate.
                reserve = null;
            }
            ex.fail(this, t);
        } finally {
            try {
                if (!inputsStopped) {
                    // Ended before a graceful stop was asked for: nothing open here to wait for.
                    inputsStopped = true;
                    ex.reportStopped(-1);
                }
                for (Op op : ops) {
                    current = op;
                    try {
                        op.close();
                    } catch (Throwable t) {
                        log("closing step " + op.stepId + " failed: " + t);
                    }
                }
            } catch (Throwable t) {
                error = error == null ? t : error;
            }
        }
    }

    /**
     * Memory set aside for reporting an out-of-memory error: a flow that fills the heap keeps it
     * full until its run is torn down. Taken again by the next run.
     */
    private static volatile byte[] reserve;
    private static final int RESERVE_BYTES = 4 << 20;

    private static boolean outOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private void loop() {
        while (!ex.stopping()) {
            boolean progressed = drain();
            long nowMs = System.currentTimeMillis();
            long nowNanos = System.nanoTime();
            if (ex.stopRequested() && !inputsStopped) {
                stopInputs();
            }
            if (!inputsStopped) {
                for (InputOp in : inputs) {
                    progressed |= in.start();
                    progressed |= in.tick(nowMs);
                }
            } else if (!stopEpochClosed && ex.stopEpoch() >= 0) {
                closeStopEpoch(ex.stopEpoch());
                progressed = true;
            }
            for (StatefulBatchOp s : statefuls) {
                progressed |= s.fireTimers(nowMs);
            }
            boolean room = ex.exchange.hasRoom();
            held(room, nowNanos);
            if (room && !inputsStopped) {
                for (InputOp in : inputs) {
                    progressed |= in.poll(nowNanos);
                }
            }
            commit();
            if (recovering) {
                deliverDurable();
            }
            if (events != null) {
                reportEpochs();
            }
            if (outgoing != null) {
                // Held frames go before this worker waits, and while it is busy, within a millisecond.
                outgoing.turnEnded(nowNanos, !progressed);
            }
            if (opsDone == ops.length || stopEpochClosed && allPast(ex.stopEpoch())) {
                if (outgoing != null) {
                    outgoing.flushAll();
                }
                finished = true; // after the last commit: nothing of this worker is in flight
                ex.finished();
                if (!inputsStopped) {
                    // Ended at end of input: nothing is open here, whatever stop comes now. Said
                    // before following the others, which may themselves wait for a stop epoch.
                    inputsStopped = true;
                    ex.reportStopped(-1);
                }
                if (recovering()) {
                    followOthers();
                }
                return;
            }
            if (!progressed) {
                inbox.park(room ? wakeNanos(nowNanos, nowMs) : nowNanos + 1_000_000L);
            }
        }
    }

    /**
     * A finished worker has nothing in flight, but the store resumes at the lowest frontier any
     * worker committed: so until every worker of the cluster has finished, it commits the frontier
     * of the slowest running one (an idle worker with no partitions would otherwise pin every
     * resume, and the durable frontier, at the epoch it finished in), and at the end the highest
     * any committed. It passes durable epochs on to its sources and sinks meanwhile, and ends once
     * every worker of every process has finished and committed that highest frontier: then the last
     * epoch is durable everywhere, every process has heard so, and the sinks may close.
     */
    private void followOthers() {
        while (!ex.stopping()) {
            long f = ex.frontierOfFinished();
            if (f > committedFrontier) {
                ex.store.commit(index, f, List.of());
                committedFrontier = f;
                ex.committed();
            }
            deliverDurable();
            if (ex.allFinished() && durableDelivered >= ex.highestAnywhere()) {
                return;
            }
            inbox.park(System.nanoTime() + 1_000_000_000L); // every commit, here or in a peer, wakes this worker
        }
    }

    /**
     * Tells this worker's sources and sinks when more epochs have become durable at every worker:
     * an exactly-once sink commits what it staged for them. The store hears it too, for its GC.
     */
    private void deliverDurable() {
        long d = ex.durableFrontier();
        if (d > durableDelivered) {
            durableDelivered = d;
            ex.durable(d);
            for (Op op : ops) {
                op.onDurable(d - 1);
            }
        }
    }

    /** Stops polling and ticking this worker's inputs, and reports the highest epoch open at them. */
    private void stopInputs() {
        inputsStopped = true;
        long open = -1;
        for (InputOp in : inputs) {
            if (in.frontier != Op.DONE) {
                open = Math.max(open, in.frontier);
            }
        }
        ex.reportStopped(open);
    }

    /** Closes every epoch up to {@code last} at this worker's inputs, as their epoch ticks would. */
    private void closeStopEpoch(long last) {
        stopEpochClosed = true;
        for (InputOp in : inputs) {
            in.closeThrough(last);
        }
    }

    /** Whether every step has closed {@code epoch}: the end of a graceful stop. */
    private boolean allPast(long epoch) {
        for (Op op : ops) {
            if (op.frontier <= epoch) {
                return false;
            }
        }
        return true;
    }

    /** Where this worker's thread is, for the error of a run that did not stop. */
    String stuckReport(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        Op op = current;
        StringBuilder b = new StringBuilder("\n  worker ").append(index).append(" is stuck");
        if (op != null) {
            Op step = op instanceof FlatMapBatchOp f ? f.stageIn(stack) : op;
            b.append(" in step '").append(step.stepId).append("' (").append(StepFailure.describe(step.userFn)).append(')');
        }
        b.append("; its thread ").append(t.getName()).append(" was at:");
        int shown = 0;
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("io.wax.engine.internal.") || c.startsWith("io.wax.api.internal.") || shown == 12) {
                break;
            }
            b.append("\n    at ").append(c).append('.').append(e.getMethodName()).append('(')
                    .append(e.getFileName() == null ? "Unknown Source" : e.getFileName() + ":" + e.getLineNumber()).append(')');
            shown++;
        }
        return b.toString();
    }

    private boolean drain() {
        boolean any = false;
        Msg m;
        while ((m = inbox.poll()) != null) {
            any = true;
            if (m.frame != null) {
                deliver(decode(m));
                inbox.add(-m.items);
                ex.links.consumed(m.peer);
            } else {
                deliver(m);
                if (m.batch != null) {
                    inbox.add(-m.items);
                }
            }
        }
        return any;
    }

    private void deliver(Msg m) {
        Op op = ops[m.op];
        if (m.batch == null) {
            op.onFrontier(m.port, m.sender, m.epoch);
        } else {
            op.onBatch(m.port, m.epoch, m.batch);
        }
    }

    /**
     * Decodes a frame from another process on this worker's thread, and checks that it names an
     * exchanged step's port and a worker that exist: a peer that disagrees is stopped, not trusted.
     */
    private Msg decode(Msg frame) {
        try {
            Msg m = Frames.decode(ex.codecs, frame.frame, frameStrings);
            if (m.op < 0 || m.op >= ops.length || !ops[m.op].exchanged() || m.port < 0 || m.port >= ops[m.op].portCount()
                    || m.sender < 0 || m.sender >= workerCount) {
                throw new DecodeException("no exchanged step port " + m.op + "/" + m.port + " from worker " + m.sender);
            }
            return m;
        } catch (DecodeException e) {
            throw new ClusterException("flow '" + ex.plan.flowId() + "' stopped: process " + frame.peer
                    + " sent a frame worker " + index + " cannot read (" + e.getMessage()
                    + "); do all processes run the same flow and Wax version?");
        }
    }

    private final Frames.Strings frameStrings = new Frames.Strings() {
        @Override
        public StringCache cache(int op) {
            return strings(op);
        }

        @Override
        public ReceivedStrings received(int op, int sender) {
            if (op < 0 || op >= ops.length || sender < 0 || sender >= workerCount || sender == index) {
                throw new DecodeException("a batch for op " + op + " from worker " + sender);
            }
            if (received == null) {
                received = new ReceivedStrings[ops.length][];
            }
            ReceivedStrings[] byWorker = received[op];
            if (byWorker == null) {
                byWorker = received[op] = new ReceivedStrings[workerCount];
            }
            ReceivedStrings r = byWorker[sender];
            return r != null ? r : (byWorker[sender] = new ReceivedStrings());
        }
    };

    Outgoing outgoing(io.wax.spi.transport.Links links, int workersPerProcess) {
        Outgoing o = outgoing;
        return o != null ? o : (outgoing = new Outgoing(this, links, workersPerProcess));
    }

    /** This worker's numbering of the strings of its frames for op {@code op} to worker {@code to}. */
    SentStrings sent(int op, int to) {
        if (sent == null) {
            sent = new SentStrings[ops.length][];
        }
        SentStrings[] byWorker = sent[op];
        if (byWorker == null) {
            byWorker = sent[op] = new SentStrings[workerCount];
        }
        SentStrings s = byWorker[to];
        return s != null ? s : (byWorker[to] = new SentStrings());
    }

    /** The string cache for frames to op {@code op}: the op's own, or this worker's. */
    private StringCache strings(int op) {
        StringCache s = op >= 0 && op < ops.length ? ops[op].strings() : null;
        if (s == null) {
            if (strings == null) {
                strings = new StringCache(12);
            }
            s = strings;
        }
        return s;
    }

    ByteWriter writer() {
        if (writer == null) {
            writer = new ByteWriter(ex.codecs, 4096);
        }
        return writer;
    }

    private long wakeNanos(long nowNanos, long nowMs) {
        long t = nowNanos + 60_000_000_000L;
        for (InputOp in : inputs) {
            long w = in.wakeNanos(nowNanos, nowMs);
            if (w - t < 0) {
                t = w;
            }
        }
        for (StatefulBatchOp s : statefuls) {
            long ms = s.nextTimerMs();
            if (ms != Long.MAX_VALUE) {
                long w = nowNanos + Math.max(0, ms - nowMs) * 1_000_000L;
                if (w - t < 0) {
                    t = w;
                }
            }
        }
        return t;
    }

    /**
     * Writes this worker's snapshots and frontier once per loop, atomically, when the frontier
     * passes a snapshot boundary ({@link #snapshotDue}); at end of input and at the end of a
     * graceful stop, whatever the boundary. Snapshots of later epochs wait for their boundary.
     */
    private void commit() {
        if (!recovering()) {
            return;
        }
        // Never lower: a frontier only rises, and the store resumes from the lowest it was told.
        long f = Math.max(committedFrontier, recoveryFrontier());
        boolean final_ = opsDone == ops.length || stopEpochClosed && allPast(ex.stopEpoch());
        long g = final_ ? f : Math.max(committedFrontier, snapshotFloor(f));
        if (g == committedFrontier) {
            return;
        }
        List<Snapshot> due = new ArrayList<>();
        List<Snapshot> later = new ArrayList<>();
        long bytes = 0;
        for (Snapshot s : snapshots) {
            if (s.epoch() < g) {
                due.add(s);
                bytes += s.state() == null ? 0 : s.state().length;
            } else {
                later.add(s);
            }
        }
        long startMs = System.currentTimeMillis();
        long start = System.nanoTime();
        ex.store.commit(index, g, due);
        long took = System.nanoTime() - start;
        snapshots.clear();
        snapshots.addAll(later);
        committedFrontier = g;
        snapshotCommits++;
        snapshotBytes += bytes;
        snapshotNanos += took;
        if (events != null) {
            events.snapshotWritten(ex.plan.flowId(), index, g, due.size(), bytes, startMs, took);
        }
        ex.committed(); // inputs in epoch-per-batch mode and finished workers may wait for this commit
    }

    /** The snapshot boundary at or below frontier {@code f}: boundaries lie every {@code snapshotEpochs} from the start. */
    long snapshotFloor(long f) {
        return startEpoch + Math.floorDiv(f - startEpoch, snapshotEpochs) * snapshotEpochs;
    }

    /** Counts the time the inputs are held back: from the first loop that found no room to the first with room. */
    private void held(boolean room, long nowNanos) {
        if (!room && heldSince == 0) {
            heldSince = nowNanos == 0 ? 1 : nowNanos;
        } else if (room && heldSince != 0) {
            heldNanos += nowNanos - heldSince;
            heldSince = 0;
        }
    }

    /** Tells {@link #events} about every epoch this worker closed since the last loop. */
    private void reportEpochs() {
        long f = recoveryFrontier();
        if (f <= eventFrontier) {
            return;
        }
        long now = System.currentTimeMillis();
        // A long-stalled worker can close many epochs at once: report the latest few only.
        for (long e = Math.max(eventFrontier, f - 100); e < f; e++) {
            // With a zero epoch interval (an epoch per batch) epochs have no scheduled start: use the close.
            long opened = ex.epochMs == 0 ? now : ex.startMs + (e - startEpoch) * ex.epochMs;
            events.epochClosed(ex.plan.flowId(), index, e, opened, now);
        }
        eventFrontier = f;
    }

    @Override
    public int worker() {
        return index;
    }

    @Override
    public long epoch() {
        long open = -1;
        for (InputOp in : inputs) {
            long f = in.frontier;
            if (f != Op.DONE) {
                open = Math.max(open, f);
            }
        }
        return open;
    }

    @Override
    public long frontier() {
        return recoveryFrontier();
    }

    @Override
    public long inboxDepth() {
        return inbox.pending();
    }

    @Override
    public long backpressureNanos() {
        long since = heldSince;
        return heldNanos + (since != 0 ? Math.max(0, System.nanoTime() - since) : 0);
    }

    @Override
    public long snapshots() {
        return snapshotCommits;
    }

    @Override
    public long snapshotBytes() {
        return snapshotBytes;
    }

    @Override
    public long snapshotNanos() {
        return snapshotNanos;
    }

    /** Adds the lag of every partition of this worker's inputs that reports one. */
    void lags(List<PartitionLag> into) {
        for (InputOp in : inputs) {
            in.lags(into);
        }
    }

    /**
     * Whether a step that closes the epochs from {@code old} up to {@code now} snapshots its state:
     * when they span a snapshot boundary (every {@code snapshotEpochs} epochs from the start), at
     * end of input, and once a graceful stop is asked for. A step that skips a close keeps its
     * changed keys for the next one; epochs between {@code old} and {@code now} carry no items, so
     * its state then is its state at each of them.
     */
    boolean snapshotDue(long old, long now) {
        return snapshotEpochs == 1 || now == Op.DONE || ex.stopRequested()
                || Math.floorDiv(now - startEpoch, snapshotEpochs) > Math.floorDiv(old - startEpoch, snapshotEpochs);
    }

    /**
     * The lowest epoch not yet closed at a step that is still running. A step that has finished
     * (an input with no partitions here ends at once) holds nothing back; when every step has
     * finished, the worker's frontier is the epoch after the last one it closed.
     */
    long recoveryFrontier() {
        long running = Long.MAX_VALUE;
        long finished = startEpoch;
        for (Op op : ops) {
            if (op.frontier == Op.DONE) {
                finished = Math.max(finished, op.finalEpoch + 1);
            } else {
                running = Math.min(running, op.frontier);
            }
        }
        return running != Long.MAX_VALUE ? running : finished;
    }

    /** The frontier of this worker's last commit (a finished worker's follows the running ones). */
    long lastCommitted() {
        return committedFrontier;
    }

    boolean finished() {
        return finished;
    }

    void opDone() {
        opsDone++;
    }

    boolean recovering() {
        return recovering;
    }

    /** Encodes a key's state with the flow's codecs, on this worker's thread, for the next commit. */
    void snapshot(String stepId, String key, long epoch, Object state) {
        byte[] bytes = state == null ? null : writer().reset().writeObject(state).toByteArray();
        snapshots.add(new Snapshot(stepId, key, epoch, bytes));
    }

    /** The resumed state of the keys of a stateful step that this worker owns. */
    Map<String, Object> loadOwned(String stepId) {
        return ex.store == null ? Map.of() : decode(stepId, ex.store.load(stepId, workerCount, index));
    }

    /** The resumed state of every partition of a partitioned source or sink. */
    Map<String, Object> loadAll(String stepId) {
        return ex.store == null ? Map.of() : decode(stepId, ex.store.loadAll(stepId));
    }

    private Map<String, Object> decode(String stepId, Map<String, byte[]> stored) {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, byte[]> e : stored.entrySet()) {
            try {
                out.put(e.getKey(), ex.codecs.decode(e.getValue()));
            } catch (DecodeException x) {
                throw new DecodeException("the snapshot of key '" + e.getKey() + "' of step " + stepId
                        + " does not decode with this flow's codecs: " + x.getMessage(), x);
            }
        }
        return out;
    }

    WorkerContext context(String stepId, Runnable waker) {
        java.time.Duration snapshots = recovering
                ? java.time.Duration.ofMillis(ex.epochMs * snapshotEpochs) : null;
        return new WorkerContext(stepId, index, workerCount, ex.options.stdout(), ex.options.stdin(), waker,
                recovering, snapshots);
    }

    long epochAt(long nowMs) {
        return startEpoch + Math.max(0, nowMs - ex.startMs) / ex.epochMs;
    }

    long epochBoundaryAfter(long epoch) {
        if (ex.epochMs == 0) {
            return Long.MAX_VALUE; // an epoch per batch: inputs close epochs themselves, never by time
        }
        return ex.startMs + (epoch - startEpoch + 1) * ex.epochMs;
    }

    void log(String message) {
        ex.log(message);
    }
}
