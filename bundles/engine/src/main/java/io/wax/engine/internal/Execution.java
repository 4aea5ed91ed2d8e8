package io.wax.engine.internal;

import io.wax.spi.monitor.CountsTraffic;
import io.wax.spi.monitor.PartitionLag;
import io.wax.spi.monitor.PeerTraffic;
import io.wax.spi.monitor.RunFigures;
import io.wax.spi.monitor.StepFigures;
import io.wax.spi.monitor.WorkerFigures;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.CodecRegistry;
import io.wax.api.codec.DecodeException;
import io.wax.plan.AbortRun;
import io.wax.plan.Plan;
import io.wax.spi.engine.ClusterException;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.transport.Links;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a flow in this process: a thread per local worker, the links to the other processes
 * of its cluster (if any), and the first failure, which every worker and every process shares
 * (fate sharing). Workers are numbered over the whole cluster: process {@code p}'s local worker
 * {@code l} is worker {@code p * workersPerProcess + l}. No worker thread outlives the run, except
 * one stuck in user code after an abort, which is named in the error instead of hanging the caller.
 *
 * <p>{@link #stop()} ends a run gracefully, without end-of-input semantics: every input stops
 * polling and closes its open epoch as at a normal epoch close (snapshotting its partitions), and
 * the run ends once every step on every worker has closed that epoch. The stop epoch is the highest
 * epoch open at any worker's inputs when they stopped polling, so everything already read is in it.
 *
 * <p>In a cluster the processes agree on it through stop frames ({@link Frames.Stop}), with no
 * coordinator: a process told to stop asks every other one to stop too; each process, once its
 * workers' inputs have stopped (or all ended), proposes the highest epoch open at them to every
 * other one; and every process stops after the highest proposal, which it knows once it has heard
 * from every process. So a stop asked of any one process stops all of them after the same epoch,
 * and nothing read anywhere is left out. A process whose workers have all ended before any stop
 * proposes {@code -1} (nothing open) as they end, so that a stop asked later, once it may have
 * closed its links, still hears from it. A peer that fails meanwhile fails the run as always.
 *
 * <p>A process that stops for a swap ({@link #stopForSwap}) asks the same way, saying so: every
 * process stops after the same epoch, and {@link #swapStop()} tells each of them that the cluster
 * is to form again rather than end. A plain stop asked of any process wins over a swap.
 */
public final class Execution implements Run {
    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);

    final Plan plan;
    final RunOptions options;
    final CodecRegistry codecs;
    final Links links;
    final int processId;
    final int processes;
    /** Workers over every process of the cluster. */
    final int workerCount;
    final int firstWorker;
    final RecoveryStore store;
    final long startEpoch;
    final long startMs;
    /** Epoch length in ms; 0 closes an epoch after every batch of every input. */
    final long epochMs;
    final Exchange exchange;
    private final Worker[] workers;
    private final Thread[] threads;
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    /** Counted down once the first failure's reports to the other processes are queued (or it needs none): see {@link #fail(Failure)}. */
    private final java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Runnable onDone = () -> { };
    /** How long workers get to end after a failure or an abort before they count as stuck. */
    static final long DEFAULT_STUCK_NANOS = 5_000_000_000L;
    /** {@link #stopEpoch} before every worker has reported where its inputs stopped. */
    private static final long UNDECIDED = -1;
    private volatile long stuckNanos = DEFAULT_STUCK_NANOS;
    private volatile long stoppingSince;
    private volatile boolean stopRequested;
    private final AtomicInteger stopReports = new AtomicInteger();
    private final AtomicLong highestOpenEpoch = new AtomicLong(UNDECIDED);
    private volatile long stopEpoch = UNDECIDED;
    private final long generation;
    /** Guards the start agreement's fields below. */
    private final Object startLock = new Object();
    /** Whether every other process's start frame has come and agreed (and the store has begun): workers may run. */
    private volatile boolean started;
    private int startsAgreed;
    /** Whether {@code store.begin} waits for the start agreement. */
    private final boolean beginPending;
    /** Set by the one worker that ends the start agreement (and begins the store's execution). */
    private boolean beginning;
    /** Guards the stop agreement's fields below. */
    private final Object stopLock = new Object();
    /** Per process, the highest epoch open at its inputs once they stopped ({@link #UNDECIDED}: none), or {@link #UNKNOWN}. */
    private final long[] proposals;
    private static final long UNKNOWN = Long.MIN_VALUE;
    private int proposalsKnown;
    /** Whether this process has asked its peers to stop, and to stop for its swap. */
    private boolean askedStop;
    private boolean askedSwap;
    /** A plain stop was asked, of this process or of another: it wins over any swap (see {@link #swapStop}). */
    private volatile boolean stopAsked;
    /** The cause of this process's own swap stop, or null. */
    private volatile String ownSwap;
    /** The first swap stop another process asked for ("process N is swapping: CAUSE"), or null. */
    private volatile String peerSwap;
    /** The durable frontier the store last heard, from any worker of this process. */
    private final AtomicLong storeDurable = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param worker the global index of the worker it happened on, or -1
     * @param remote whether another process reported it (and so must not be reported back)
     */
    private record Failure(int worker, Throwable error, boolean remote) {
    }

    /** Thrown for a failure that another process of the cluster reported. */
    private static final class Reported extends RuntimeException {
        final RuntimeException translated;

        Reported(RuntimeException translated) {
            super(translated.getMessage(), null, false, false);
            this.translated = translated;
        }
    }

    public Execution(Plan plan, RunOptions options) {
        FlowChecks.check(plan);
        this.plan = plan;
        this.options = options;
        this.codecs = plan.codecs();
        this.links = options.cluster();
        this.processId = links == null ? 0 : links.processId();
        this.processes = links == null ? 1 : links.processCount();
        int perProcess = options.workers();
        this.workerCount = processes * perProcess;
        this.firstWorker = processId * perProcess;
        this.store = options.recovery();
        this.generation = links != null ? links.hello().generation() : ThreadLocalRandom.current().nextLong();
        // A process of a cluster begins only once every process has said where it resumes (see
        // awaitStart): a cluster whose processes disagree must leave the store as it was.
        long planned = store != null && processes > 1 ? store.resumeEpoch() : -1;
        this.startEpoch = store == null ? 1 : planned >= 1 ? planned : store.begin(generation, workerCount);
        this.beginPending = planned >= 1;
        this.started = links == null || processes == 1;
        this.startMs = System.currentTimeMillis();
        this.epochMs = options.epochInterval().isZero() ? 0 : Math.max(1, options.epochInterval().toMillis());
        this.workers = new Worker[perProcess];
        for (int l = 0; l < perProcess; l++) {
            workers[l] = new Worker(this, l);
        }
        this.exchange = new Exchange(workers, firstWorker, options.maxInFlight(), links);
        this.threads = new Thread[perProcess];
        this.figures = new Figures();
        this.peers = new Peers();
        this.proposals = new long[processes];
        java.util.Arrays.fill(proposals, UNKNOWN);
    }

    private final Figures figures;

    @Override
    public RunFigures figures() {
        return figures;
    }

    /** This process's workers and their steps, as monitors see them. */
    private final class Figures implements RunFigures {
        private final List<StepFigures> steps;
        private final List<WorkerFigures> workerFigures;

        Figures() {
            List<StepFigures> all = new java.util.ArrayList<>();
            for (Worker w : workers) {
                all.addAll(List.of(w.ops));
            }
            this.steps = List.copyOf(all);
            this.workerFigures = List.of((WorkerFigures[]) workers);
        }

        @Override
        public List<StepFigures> steps() {
            return steps;
        }

        @Override
        public List<WorkerFigures> workers() {
            return workerFigures;
        }

        @Override
        public List<PartitionLag> lags() {
            List<PartitionLag> out = new java.util.ArrayList<>();
            for (Worker w : workers) {
                w.lags(out);
            }
            return out;
        }

        @Override
        public List<PeerTraffic> peers() {
            return links instanceof CountsTraffic c ? c.traffic() : List.of();
        }
    }

    /** Runs {@code action} once every worker thread has ended. */
    void onDone(Runnable action) {
        onDone = action;
    }

    /** Starts every worker thread, and delivery from the other processes; returns at once. */
    public Execution start() {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(workers.length);
        for (int l = 0; l < workers.length; l++) {
            Worker w = workers[l];
            threads[l] = new Thread(() -> {
                try {
                    w.run();
                } finally {
                    if (running.decrementAndGet() == 0) {
                        onDone.run();
                    }
                }
            }, "wax-" + plan.flowId() + "-worker-" + w.index);
            threads[l].setDaemon(true);
            threads[l].start();
        }
        if (links != null) {
            ByteWriter w = new ByteWriter(codecs);
            for (int p = 0; p < processes; p++) {
                if (p != processId) {
                    links.send(p, Frames.start(w, p * workers.length, new Frames.Start(store != null, startEpoch)));
                }
            }
            links.start(new Receiver());
        }
        return this;
    }

    /**
     * Holds a worker, before it opens its steps, until every other process of the cluster has sent
     * its start frame and agreed with this one's (same -r, same resume epoch), and then begins the
     * store's execution, once: nothing is read, sent or written before the processes agree, and a
     * cluster that disagrees stops with its store as it was. Returns false when the run failed
     * (or was aborted) meanwhile. Without peers it returns at once.
     */
    boolean awaitStart() {
        if (started) {
            return true;
        }
        synchronized (startLock) {
            while (startsAgreed < processes - 1 && !failed()) {
                if (!waitForStart()) {
                    return false;
                }
            }
            if (failed()) {
                return false;
            }
            if (beginning) {
                // Another worker is beginning the store's execution: wait for it.
                while (!started && !failed()) {
                    if (!waitForStart()) {
                        return false;
                    }
                }
                return !failed();
            }
            beginning = true;
        }
        if (beginPending) {
            long e = store.begin(generation, workerCount);
            if (e != startEpoch) {
                fail(null, new ClusterException("flow '" + plan.flowId() + "' stopped: the recovery store said it resumes at epoch "
                        + startEpoch + " and then began at epoch " + e + ": another run wrote it meanwhile; two runs must not share a store"));
            }
        }
        synchronized (startLock) {
            started = true;
            startLock.notifyAll();
        }
        return !failed();
    }

    /** Waits on {@link #startLock} (held) a little; false when interrupted, which await() does only once the run has failed. */
    private boolean waitForStart() {
        try {
            startLock.wait(100); // fail() and each agreeing start frame wake it
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Runs every worker to the end of input, or to the first failure, which it throws. Interrupting the caller aborts. */
    public void run() {
        start();
        boolean interrupted = false;
        while (true) {
            try {
                await();
                break;
            } catch (InterruptedException e) {
                // The caller wants us gone: stop every worker, then still wait for them.
                interrupted = true;
                abort();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@inheritDoc} A worker that has not ended {@link #abort(java.time.Duration) some time} after the
     * run was told to stop is stuck in user code: it is left behind and named in the error.
     */
    @Override
    public void await() throws InterruptedException {
        StringBuilder stuck = new StringBuilder();
        for (int l = 0; l < threads.length; l++) {
            Thread t = threads[l];
            while (t.isAlive()) {
                t.join(stopping ? 20 : 100); // short: an abort must be noticed soon
                if (stopping && t.isAlive()) {
                    t.interrupt();
                    if (System.nanoTime() - stoppingSince > stuckNanos) {
                        stuck.append(workers[l].stuckReport(t)).append(kill(t));
                        break;
                    }
                }
            }
        }
        for (int l = 0; l < workers.length; l++) {
            Worker w = workers[l];
            // A failure that could not be recorded (out of memory while recording it), or a thread
            // that ended without ending its loop: never a run that just looks complete.
            if (failure.get() == null && (w.error != null || !w.ended && !threads[l].isAlive())) {
                fail(new Failure(w.index, w.error != null ? w.error
                        : new IllegalStateException("worker " + w.index + " ended unexpectedly"), false));
            }
        }
        Failure f = failure.get();
        if (f != null) {
            told.await(); // the caller closes the links next: the peers' reports go before the streams end
        }
        if (!stuck.isEmpty()) {
            RuntimeException e = f == null ? null : translate(f);
            String why = e == null || e instanceof FlowAbortedException ? "" : " after " + e.getMessage();
            throw new FlowAbortedException("flow '" + plan.flowId() + "' did not stop" + why + ":" + stuck);
        }
        if (f != null) {
            throw translate(f);
        }
    }

    /**
     * Last resort for a worker stuck in user code that ignores interrupts: {@code Thread.stop}, which
     * Java 17 still has (later versions throw, and the thread is left running). The run is over, so
     * the objects it leaves half-changed are the flow's own.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static String kill(Thread t) {
        try {
            t.stop();
            t.join(100);
        } catch (UnsupportedOperationException | InterruptedException e) {
            // left running: said below
        }
        return t.isAlive() ? "\n  (the thread is left running: this Java cannot stop it)" : "\n  (the thread was stopped)";
    }

    @Override
    public void abort(java.time.Duration stuckAfter) {
        this.stuckNanos = stuckAfter.toNanos();
        abort();
    }

    /** Stops the run gracefully (see the class comment), and every other process of its cluster; returns at once. */
    @Override
    public void stop() {
        stopAsked = true;
        ask(new Frames.Stop(Frames.Stop.ASK, 0, null));
    }

    /**
     * As {@link #stop()}, for a swap of this process: the other processes stop after the same epoch
     * and learn that it is a swap ({@link #swapStop()}), so that they form the cluster again.
     */
    @Override
    public void stopForSwap(String cause) {
        if (ownSwap == null) {
            ownSwap = cause;
        }
        ask(new Frames.Stop(Frames.Stop.SWAP, 0, cause));
    }

    /**
     * The swap a graceful stop was for: null when any process asked a plain stop, which wins (the
     * cluster is stopping), or when the run did not end by a stop.
     */
    @Override
    public String swapStop() {
        if (stoppedAfter() < 0 || stopAsked) {
            return null;
        }
        return ownSwap != null ? ownSwap : peerSwap;
    }

    /**
     * Asks every other process once per kind (a plain stop after a swap's still goes out), then
     * stops locally: the ask goes out before this process's proposal, so every process hears it
     * before it can know the stop epoch, and so before its run ends.
     */
    private void ask(Frames.Stop ask) {
        if (links != null) {
            boolean tell;
            synchronized (stopLock) {
                tell = !askedStop && !(ask.what() == Frames.Stop.SWAP && askedSwap);
                if (ask.what() == Frames.Stop.ASK) {
                    askedStop = true;
                } else {
                    askedSwap = true;
                }
            }
            if (tell) {
                tellStop(ask);
            }
        }
        stopLocally();
    }

    private void stopLocally() {
        stopRequested = true;
        for (Worker x : workers) {
            x.inbox.wake();
        }
    }

    /** Sends a stop frame to every other process; one that can no longer be reached has failed, or finished. */
    private void tellStop(Frames.Stop stop) {
        ByteWriter w = new ByteWriter(codecs);
        for (int p = 0; p < processes; p++) {
            if (p != processId) {
                try {
                    links.send(p, Frames.stop(w, p * workers.length, stop));
                } catch (RuntimeException x) {
                    LOG.debug("could not tell process {} about the stop", p, x);
                }
            }
        }
    }

    @Override
    public long stoppedAfter() {
        long e = stopEpoch;
        return e == UNDECIDED || e == Op.DONE - 1 ? -1 : e;
    }

    /** The lowest frontier any worker of this process has committed. */
    long lowestCommitted() {
        long min = Long.MAX_VALUE;
        for (Worker x : workers) {
            min = Math.min(min, x.lastCommitted());
        }
        return min;
    }

    private long highestCommitted() {
        long max = Long.MIN_VALUE;
        for (Worker x : workers) {
            max = Math.max(max, x.lastCommitted());
        }
        return max;
    }

    /**
     * The frontier every worker of every process has committed to the recovery store: every epoch
     * before it is durable, and no resume replays it. Peers tell theirs in progress frames, so this
     * lags them by a trip over the network, never leads. In epoch-per-batch mode an input reads its
     * next batch only once this has reached the epoch before it.
     */
    long durableFrontier() {
        return Math.min(lowestCommitted(), peers.lowest);
    }

    /** The highest frontier any worker of the cluster has committed, as far as this process knows. */
    long highestAnywhere() {
        return Math.max(highestCommitted(), peers.highest);
    }

    /**
     * A worker committed: wakes the others, which may wait for it (inputs in epoch-per-batch mode,
     * finished workers that follow the running ones) or pass a new durable frontier on to their
     * sinks, and tells the other processes when this process's frontiers moved. Commits come once
     * per snapshot interval, so the wake-ups and frames cost nothing that matters.
     */
    void committed() {
        for (Worker x : workers) {
            x.inbox.wake();
        }
        shareProgress();
    }

    /** A worker has finished, after its last commit. */
    void finished() {
        for (Worker x : workers) {
            x.inbox.wake();
        }
        shareProgress();
    }

    /** Whether every worker of every process has finished (each after its last commit). */
    boolean allFinished() {
        return localFinished() && peers.allFinished;
    }

    private boolean localFinished() {
        for (Worker x : workers) {
            if (!x.finished()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The frontier a finished worker commits: the lowest that a running worker committed, here or
     * in another process, or once every worker of the cluster has finished, the highest any
     * committed. A finished worker has nothing in flight, so following the running ones is true of
     * it; staying at the epoch it finished in would pin every resume, and the durable frontier,
     * there (a process whose inputs ended early would hold back an exactly-once sink elsewhere, and
     * epoch-per-batch inputs would wait for it for ever).
     */
    long frontierOfFinished() {
        long running = Long.MAX_VALUE;
        for (Worker x : workers) {
            if (!x.finished()) {
                running = Math.min(running, x.lastCommitted());
            }
        }
        running = Math.min(running, peers.lowestRunning);
        return running != Long.MAX_VALUE ? running : highestAnywhere();
    }

    /**
     * What this process knows of the other processes' commits, from their progress frames: each
     * peer's lowest and highest committed frontier and whether its workers have all finished.
     * Written on transport threads under the lock, read by workers through the volatile summaries.
     */
    private final class Peers {
        private final long[] lowests = new long[processes];
        private final long[] highests = new long[processes];
        private final boolean[] finished = new boolean[processes];
        /** The minimum over peers (no peer: no bound). */
        volatile long lowest = Long.MAX_VALUE;
        volatile long highest = Long.MIN_VALUE;
        /** The minimum over peers whose workers have not all finished. */
        volatile long lowestRunning = Long.MAX_VALUE;
        volatile boolean allFinished = true;
        /**
         * Guards {@link #told} and orders the frames sent. Not the lock of {@link #update}: a
         * transport may deliver a frame on the sending thread (the loopback does), into a peer
         * that is sending to this process at the same moment.
         */
        private final Object sending = new Object();
        /** What this process last told its peers. */
        private Frames.Progress told = new Frames.Progress(Long.MIN_VALUE, Long.MIN_VALUE, false);

        Peers() {
            if (processes > 1) {
                java.util.Arrays.fill(lowests, startEpoch);
                java.util.Arrays.fill(highests, startEpoch);
                finished[processId] = true; // this process is counted by its own workers
                summarise();
            }
        }

        synchronized void update(int peer, Frames.Progress p) {
            lowests[peer] = Math.max(lowests[peer], p.lowest());
            highests[peer] = Math.max(highests[peer], p.highest());
            finished[peer] |= p.finished();
            summarise();
        }

        private void summarise() {
            long low = Long.MAX_VALUE;
            long high = Long.MIN_VALUE;
            long running = Long.MAX_VALUE;
            boolean all = true;
            for (int p = 0; p < processes; p++) {
                if (p == processId) {
                    continue;
                }
                low = Math.min(low, lowests[p]);
                high = Math.max(high, highests[p]);
                if (!finished[p]) {
                    running = Math.min(running, lowests[p]);
                    all = false;
                }
            }
            lowest = low;
            highest = high;
            lowestRunning = running;
            allFinished = all;
        }

        /** Tells every peer this process's progress when it changed; frames to a peer keep their order. */
        void share(Frames.Progress now) {
            synchronized (sending) {
                // Workers call this concurrently, each with what it saw: never tell less than before.
                Frames.Progress next = new Frames.Progress(Math.max(told.lowest(), now.lowest()),
                        Math.max(told.highest(), now.highest()), told.finished() || now.finished());
                if (next.equals(told)) {
                    return;
                }
                told = next;
                ByteWriter w = new ByteWriter(codecs);
                for (int p = 0; p < processes; p++) {
                    if (p != processId) {
                        links.send(p, Frames.progress(w, p * workers.length, next));
                    }
                }
            }
        }
    }

    private final Peers peers;

    private void shareProgress() {
        if (links != null && store != null && processes > 1) {
            peers.share(new Frames.Progress(lowestCommitted(), highestCommitted(), localFinished()));
        }
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /**
     * A worker's inputs have stopped polling, or the worker has ended; {@code openEpoch} is the
     * highest epoch open at its inputs ({@code -1} when they have all ended). The last report gives
     * this process's proposal, which its peers hear; the stop epoch is fixed once every process's
     * proposal is known (at once without peers).
     */
    void reportStopped(long openEpoch) {
        highestOpenEpoch.accumulateAndGet(openEpoch, Math::max);
        if (stopReports.incrementAndGet() == workers.length) {
            long e = highestOpenEpoch.get();
            if (links != null && !failed()) {
                tellStop(new Frames.Stop(Frames.Stop.PROPOSE, e, null));
            }
            propose(processId, e);
        }
    }

    /** Process {@code p}'s proposal ({@link #reportStopped}); the last one fixes the stop epoch. */
    private void propose(int p, long epoch) {
        synchronized (stopLock) {
            if (proposals[p] != UNKNOWN) {
                return; // each process proposes once
            }
            proposals[p] = epoch;
            if (++proposalsKnown < processes) {
                return;
            }
            long e = UNDECIDED;
            for (long x : proposals) {
                e = Math.max(e, x);
            }
            // No input open anywhere: end of input is already on its way; let the run finish it.
            stopEpoch = e == UNDECIDED ? Op.DONE - 1 : e;
        }
        for (Worker x : workers) {
            x.inbox.wake();
        }
    }

    /**
     * Tells the store, once per process, that every worker of the cluster has committed up to
     * {@code frontier} (for its GC). Every worker passes each rise of the durable frontier on to
     * its own sources and sinks, but the store is one per process: it needs to hear each rise once,
     * not once per worker (each call takes the store's lock, which commits hold while they write).
     */
    void durable(long frontier) {
        if (storeDurable.getAndAccumulate(frontier, Math::max) < frontier) {
            store.durable(frontier);
        }
    }

    /** The epoch a graceful stop closes last, or -1 while it is not known yet. */
    long stopEpoch() {
        return stopEpoch;
    }

    @Override
    public boolean done() {
        for (Thread t : threads) {
            if (t == null || t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Asks every worker to stop at its next step boundary, as when the caller is interrupted. */
    @Override
    public void abort() {
        fail(null, new FlowAbortedException("flow '" + plan.flowId() + "' was stopped"));
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether the run failed or was aborted (on any worker, or in another process). */
    boolean failed() {
        return failure.get() != null;
    }

    void fail(Worker w, Throwable t) {
        fail(new Failure(w == null ? -1 : w.index, t, t instanceof Reported));
    }

    private void fail(Failure f) {
        if (failure.compareAndSet(null, f)) {
            // The report is queued for the peers first, and await() waits for it (told): a worker
            // that sees the failure ends, the run ends, its caller closes the links, and a
            // half-close queued before the report reached a peer first. That peer then blamed this
            // process for ending, not the cause this process had found.
            try {
                if (links != null && !f.remote()) {
                    tellPeers(f); // only queues: never blocks on the network
                }
            } finally {
                told.countDown();
            }
            stoppingSince = System.nanoTime();
            stopping = true;
            for (Worker x : workers) {
                x.inbox.wake();
            }
            synchronized (startLock) {
                startLock.notifyAll(); // workers waiting for the start agreement
            }
        }
    }

    /** Fate sharing: the other processes stop too, with this process's error. */
    private void tellPeers(Failure f) {
        ByteWriter w = new ByteWriter(codecs);
        RuntimeException e = translate(f);
        for (int p = 0; p < processes; p++) {
            if (p == processId) {
                continue;
            }
            int to = p * workers.length;
            byte[] frame;
            if (e instanceof FlowFailedException ff) {
                Throwable cause = ff.getCause() == null ? ff : ff.getCause();
                frame = Frames.failure(w, to, new Frames.Failure(plan.flowId(), ff.stepId(), ff.worker(), ff.epoch(),
                        ff.userFunction(), cause.toString(), ff.getStackTrace()));
            } else {
                frame = Frames.abort(w, to, e.getMessage());
            }
            try {
                links.send(p, frame);
            } catch (RuntimeException x) {
                LOG.debug("could not tell process {} that this run failed", p, x);
            }
        }
    }

    /**
     * Every process must resume at the same epoch from the same store: each computes it from the
     * store's committed data before any process writes (see the recovery store), so a difference
     * means the processes do not see the same store (a directory that is not shared, or a copy).
     */
    private void checkStart(int peer, Frames.Start st) {
        if (st.recovering() != (store != null)) {
            fail(null, new ClusterException("flow '" + plan.flowId() + "' stopped: process " + peer + " runs "
                    + (st.recovering() ? "with" : "without") + " recovery (-r) and process " + processId + " "
                    + (store != null ? "with" : "without") + " it; give every process of the cluster the same -r"));
        } else if (st.epoch() != startEpoch) {
            fail(null, new ClusterException("flow '" + plan.flowId() + "' stopped: process " + peer + " resumes at epoch "
                    + st.epoch() + " but process " + processId + " at epoch " + startEpoch + ": the processes do not see the"
                    + " same recovery store. Every process must open the same partitions: give them one shared -r"
                    + " directory (a network file system or a volume every process mounts), not copies"));
        } else {
            synchronized (startLock) {
                startsAgreed++;
                startLock.notifyAll();
            }
        }
    }

    void log(String message) {
        LOG.warn("{}: {}", plan.flowId(), message);
    }

    private RuntimeException translate(Failure f) {
        Throwable t = f.error();
        if (t instanceof Reported r) {
            return r.translated;
        }
        if (t instanceof StepFailure sf) {
            return new FlowFailedException(plan.flowId(), sf.stepId, f.worker(), sf.epoch, sf.userFunction, sf.getCause());
        }
        if (t instanceof AbortRun a) {
            return new FlowAbortedException("flow '" + plan.flowId() + "' aborted on worker " + f.worker() + ": "
                    + a.getMessage());
        }
        if (t instanceof FlowAbortedException a) {
            return a;
        }
        if (t instanceof ClusterException c) {
            return c;
        }
        return new FlowFailedException(plan.flowId(), "(engine)", f.worker(), 0, "no user function", t);
    }

    /** Frames and failures from the other processes, on transport threads: never blocks. */
    private final class Receiver implements Links.Receiver {
        @Override
        public void onFrame(int peer, byte[] frame) {
            try {
                Frames.Head h = Frames.head(codecs, frame);
                switch (h.kind()) {
                    case Frames.FAILURE -> {
                        Frames.Failure r = Frames.readFailure(codecs, frame);
                        links.consumed(peer);
                        fail(null, new Reported(new FlowFailedException(r.flow(), r.step(), r.worker(), r.epoch(),
                                r.function(), peer, new FlowFailedException.RemoteCause(r.text(), r.frames()))));
                    }
                    case Frames.PROGRESS -> {
                        Frames.Progress p = Frames.readProgress(codecs, frame);
                        links.consumed(peer);
                        if (store != null) {
                            peers.update(peer, p);
                            for (Worker x : workers) {
                                x.inbox.wake();
                            }
                        }
                    }
                    case Frames.START -> {
                        Frames.Start st = Frames.readStart(codecs, frame);
                        links.consumed(peer);
                        checkStart(peer, st);
                    }
                    case Frames.STOP -> {
                        Frames.Stop st = Frames.readStop(codecs, frame);
                        links.consumed(peer);
                        if (st.what() == Frames.Stop.SWAP) {
                            if (peerSwap == null) {
                                peerSwap = "process " + peer + " is swapping: " + st.cause();
                            }
                            if (!stopRequested) {
                                log("process " + peer + " of the cluster is swapping (" + st.cause()
                                        + "): closing the open epoch, then stopping to form the cluster again");
                            }
                            stopLocally();
                        } else if (st.ask()) {
                            stopAsked = true;
                            if (!stopRequested) {
                                log("process " + peer + " of the cluster was asked to stop: closing the open epoch, then stopping");
                            }
                            stopLocally();
                        } else {
                            propose(peer, st.epoch());
                        }
                    }
                    case Frames.ABORT -> {
                        String why = Frames.readAbort(codecs, frame);
                        links.consumed(peer);
                        fail(null, new Reported(new FlowAbortedException(why + " (in process " + peer + ")")));
                    }
                    default -> {
                        int l = h.to() - firstWorker;
                        if (l < 0 || l >= workers.length) {
                            throw new DecodeException("a frame for worker " + h.to() + ", which is not in this process");
                        }
                        workers[l].inbox.offer(Msg.remote(frame, peer, h.items()));
                    }
                }
            } catch (DecodeException e) {
                fail(null, new ClusterException("flow '" + plan.flowId() + "' stopped: process " + peer
                        + " sent a frame this process cannot read (" + e.getMessage() + "); are both running the same Wax version?"));
            }
        }

        @Override
        public void onPeerFailed(int peer, String reason) {
            ClusterException e = new ClusterException("flow '" + plan.flowId() + "' stopped: process " + peer
                    + " of the cluster failed: " + reason);
            // Told to the other processes too, so that they hear the cause and not only that this
            // process ended: in a cluster of three, the process that found a silent peer first was
            // named by the third as the one that failed. Not during a graceful stop, where a peer's
            // links may close because it is swapping.
            fail(null, stopRequested ? new Reported(e) : e);
        }
    }
}
