package io.wax.engine.internal;

import io.wax.api.codec.StringCache;
import io.wax.spi.monitor.StepFigures;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime of one core step on one worker. Batches and frontier advances arrive on numbered
 * input ports; an exchanged port hears from every worker, a local one from its own worker only.
 * The op's frontier (every epoch before it is complete) is the lowest of its ports' frontiers;
 * when it rises the op closes epochs ({@link #advance}) and passes the frontier on.
 */
abstract class Op implements StepFigures {
    static final long DONE = Long.MAX_VALUE;
    private static final long[] BUCKETS = BATCH_BUCKETS_NANOS;

    final Worker w;
    final int index;
    final String stepId;
    final Object userFn;
    Out[] outs = new Out[0];
    private final long[][] senders;
    private final long[] ports;
    long frontier;
    /** The epoch that was open when the frontier reached {@link #DONE}. */
    long finalEpoch;

    private final boolean exchanged;

    // Figures: plain fields written by this op's worker thread only, read racily by monitors.
    long itemsIn;
    long itemsOut;
    private long batches;
    private long batchNanos;
    private final long[] batchTimes = new long[BUCKETS.length + 1];

    Op(Worker w, int index, String stepId, Object userFn, int portCount, boolean exchanged) {
        this.w = w;
        this.exchanged = exchanged;
        this.index = index;
        this.stepId = stepId;
        this.userFn = userFn;
        this.senders = new long[portCount][];
        this.ports = new long[portCount];
        for (int p = 0; p < portCount; p++) {
            senders[p] = new long[exchanged ? w.workerCount : 1];
            Arrays.fill(senders[p], w.startEpoch);
        }
        Arrays.fill(ports, w.startEpoch);
        this.frontier = w.startEpoch;
    }

    /** The number of input ports. */
    final int portCount() {
        return ports.length;
    }

    /** Whether this op's inputs come from every worker, routed by {@link #route}. */
    final boolean exchanged() {
        return exchanged;
    }

    /** For exchanged ops: the worker that must receive item {@code index} of {@code batch}. */
    int route(List<Object> batch, int index) {
        throw new IllegalStateException("not an exchanged step: " + stepId);
    }

    /**
     * The cache that decodes the strings of frames from other processes for this op, or null for
     * the worker's own. A stateful step's cache knows its keys (see {@link KeyTable}).
     */
    StringCache strings() {
        return null;
    }

    /** Opens resources (sources, sinks, resumed state). Runs on the worker thread. */
    void open() throws Exception {
    }

    /** Releases resources; called once, also after a failure. */
    void close() throws Exception {
    }

    abstract void process(int port, long epoch, List<Object> batch) throws Exception;

    /** Closes epochs {@code [old, now)}; the default forwards the frontier. */
    void advance(long old, long now) throws Exception {
        forward(now);
    }

    final void onBatch(int port, long epoch, List<Object> batch) {
        Op outer = w.current;
        w.current = this;
        itemsIn += batch.size();
        long start = System.nanoTime();
        try {
            process(port, epoch, batch);
        } catch (RuntimeException e) {
            throw wrap(e, epoch);
        } catch (Exception | Error e) {
            throw new StepFailure(stepId, userFn, epoch, e);
        } finally {
            w.current = outer;
            timed(System.nanoTime() - start);
        }
    }

    /** Counts one batch that took {@code nanos}. */
    private void timed(long nanos) {
        batches++;
        batchNanos += nanos;
        int b = 0;
        while (b < BUCKETS.length && nanos > BUCKETS[b]) {
            b++;
        }
        batchTimes[b]++;
    }

    @Override
    public String step() {
        return stepId;
    }

    @Override
    public int worker() {
        return w.index;
    }

    @Override
    public long itemsIn() {
        return itemsIn;
    }

    @Override
    public long itemsOut() {
        return itemsOut;
    }

    @Override
    public long batches() {
        return batches;
    }

    @Override
    public long batchNanos() {
        return batchNanos;
    }

    @Override
    public long[] batchTimes() {
        return batchTimes.clone();
    }

    final void onFrontier(int port, int sender, long f) {
        long[] s = senders[port];
        if (f <= s[sender]) {
            return;
        }
        s[sender] = f;
        long pf = min(s);
        if (pf == ports[port]) {
            return;
        }
        ports[port] = pf;
        long nf = min(ports);
        if (nf != frontier) {
            long old = frontier;
            frontier = nf;
            if (nf == DONE) {
                finalEpoch = old;
                w.opDone();
            }
            Op outer = w.current;
            w.current = this;
            try {
                advance(old, nf);
            } catch (RuntimeException e) {
                throw wrap(e, old);
            } catch (Exception | Error e) {
                throw new StepFailure(stepId, userFn, old, e);
            } finally {
                w.current = outer;
            }
        }
    }

    /**
     * Every epoch up to {@code epoch} is durable at every worker (see {@code
     * SinkPartition.epochDurable}); only sources and sinks act on it.
     */
    void durable(long epoch) throws Exception {
    }

    final void onDurable(long epoch) {
        Op outer = w.current;
        w.current = this;
        try {
            durable(epoch);
        } catch (RuntimeException e) {
            throw wrap(e, epoch);
        } catch (Exception | Error e) {
            throw new StepFailure(stepId, userFn, epoch, e);
        } finally {
            w.current = outer;
        }
    }

    final void forward(long f) {
        for (Out o : outs) {
            o.frontier(f);
        }
    }

    RuntimeException wrap(RuntimeException e, long epoch) {
        if (e instanceof StepFailure || e instanceof io.wax.plan.AbortRun) {
            return e;
        }
        return new StepFailure(stepId, userFn, epoch, e);
    }

    private static long min(long[] xs) {
        long m = Long.MAX_VALUE;
        for (long x : xs) {
            m = Math.min(m, x);
        }
        return m;
    }
}
