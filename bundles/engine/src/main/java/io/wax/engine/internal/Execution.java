package io.wax.engine.internal;

import io.wax.plan.Plan;
import io.wax.plan.AbortRun;
import io.wax.engine.FlowAbortedException;
import io.wax.engine.FlowFailedException;
import io.wax.engine.RunOptions;
import io.wax.spi.recovery.RecoveryStore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a flow in this process: starts a thread per worker, waits for all of them, and turns
 * the first failure into the exception the caller sees. A failure on any worker stops every worker
 * (fate sharing), and no worker thread outlives {@link #run()}.
 */
public final class Execution {
    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);

    final Plan plan;
    final RunOptions options;
    final int workerCount;
    final RecoveryStore store;
    final long startEpoch;
    final long startMs;
    final long epochMs;
    private final Worker[] workers;
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private volatile boolean stopping;

    private record Failure(int worker, Throwable error) {
    }

    public Execution(Plan plan, RunOptions options) {
        this.plan = plan;
        this.options = options;
        this.workerCount = options.workers();
        this.store = options.recovery();
        this.startEpoch = store == null ? 1 : store.begin(workerCount);
        this.startMs = System.currentTimeMillis();
        this.epochMs = Math.max(1, options.epochInterval().toMillis());
        this.workers = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = new Worker(this, i);
        }
        LocalExchange exchange = new LocalExchange(workers, options.maxInFlight());
        for (Worker w : workers) {
            w.exchange = exchange;
        }
    }

    /** Runs every worker to the end of input, or to the first failure, which it throws. */
    public void run() {
        Thread[] threads = new Thread[workerCount];
        for (int i = 0; i < workerCount; i++) {
            threads[i] = new Thread(workers[i], "wax-" + plan.flowId() + "-worker-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    // The caller wants us gone: stop every worker, then still wait for them.
                    interrupted = true;
                    stop();
                }
                if (stopping && t.isAlive()) {
                    t.interrupt();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Failure f = failure.get();
        if (f != null) {
            throw translate(f);
        }
    }

    /** Asks every worker to stop at its next step boundary, as when the caller is interrupted. */
    public void stop() {
        fail(null, new FlowAbortedException("flow '" + plan.flowId() + "' was stopped"));
    }

    boolean stopping() {
        return stopping;
    }

    void fail(Worker w, Throwable t) {
        if (failure.compareAndSet(null, new Failure(w == null ? -1 : w.index, t))) {
            stopping = true;
            for (Worker x : workers) {
                x.inbox.wake();
            }
        }
    }

    void log(String message) {
        LOG.warn("{}: {}", plan.flowId(), message);
    }

    private RuntimeException translate(Failure f) {
        Throwable t = f.error();
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
        return new FlowFailedException(plan.flowId(), "(engine)", f.worker(), 0, "no user function", t);
    }
}
