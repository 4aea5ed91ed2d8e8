package io.wax.runtime.internal;

import io.wax.spi.engine.Engine;
import io.wax.spi.engine.Run;
import io.wax.spi.recovery.RecoveryStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flow running in this process that a bundle update can swap: what it uses (the engine, the
 * flow's registration, the recovery stores service that opened its store) and the swap in
 * progress. A swap is stop-with-snapshot inside the process: the bundle's service going away
 * ({@link #quiesce}, called synchronously while the service is still registered, before the old
 * code stops) stops the run at the next epoch boundary, where it snapshots and its sinks flush;
 * the run's own thread then waits for the new provider and starts the flow again from the snapshot.
 */
final class LiveRun {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRun.class);

    final String flow;
    final Watched watched;
    private Run run;
    private Engine engine;
    private Registration registration;
    private RecoveryStores stores;
    /** The run's store: the durable one of -r (closed and reopened when the store bundle is swapped), or memory. */
    private io.wax.spi.recovery.DurableStore store;
    /** The swap in progress, or null. */
    private Swap swap;
    /** Swaps finished (resumed or refused) so far, and the last one's outcome, for wax:update. */
    private int swapsDone;
    private String lastOutcome;

    LiveRun(String flow, Watched watched) {
        this.flow = flow;
        this.watched = watched;
    }

    /** A swap: what caused it, and the time of each phase. */
    static final class Swap {
        final String cause;
        final long startNanos = System.nanoTime();
        private long phaseNanos = startNanos;
        final StringBuilder phases = new StringBuilder();
        /** The run's last epoch before the swap. */
        long stoppedAfter = -1;

        Swap(String cause) {
            this.cause = cause;
        }

        /** Ends a phase: logs it with its duration. */
        void phase(String flow, String what) {
            long now = System.nanoTime();
            String took = String.format(java.util.Locale.ROOT, "%.3f s", (now - phaseNanos) / 1e9);
            phaseNanos = now;
            phases.append(phases.length() == 0 ? "" : ", ").append(what).append(' ').append(took);
            LOG.info("swap of flow '{}' ({}): {} took {}", flow, cause, what, took);
        }

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }
    }

    /**
     * The run thread: starts a run with these providers. Under this run's lock, so that a swap
     * that begins meanwhile waits for the run to exist and then stops it.
     */
    synchronized Run start(java.util.function.Supplier<Run> start, Engine e, Registration r, RecoveryStores s,
                           java.util.function.BooleanSupplier current) {
        if (!current.getAsBoolean()) {
            return null; // a provider went while the swap resumed: the caller waits for the next one
        }
        engine = e;
        registration = r;
        stores = s;
        run = start.get();
        return run;
    }

    /** The run thread: the run ended; the swap that stopped it, or null when it ended for any other reason. */
    synchronized Swap ended() {
        run = null;
        return swap;
    }

    /** The run thread: the swap is over (resumed, refused and resumed on the old code, or abandoned). */
    synchronized void swapDone(String outcome) {
        swap = null;
        swapsDone++;
        lastOutcome = outcome;
        notifyAll();
    }

    synchronized Swap swap() {
        return swap;
    }

    synchronized int swapsDone() {
        return swapsDone;
    }

    synchronized String lastOutcome() {
        return lastOutcome;
    }

    synchronized boolean uses(Engine e) {
        return engine == e;
    }

    synchronized boolean uses(Registration r) {
        return registration == r;
    }

    synchronized boolean uses(RecoveryStores s) {
        return s != null && stores == s;
    }

    synchronized void store(io.wax.spi.recovery.DurableStore s) {
        store = s;
    }

    synchronized io.wax.spi.recovery.DurableStore store() {
        return store;
    }

    /** Closes the store (its bundle is going away); the swap opens it again with the new bundle. */
    synchronized void closeStore() {
        if (store != null) {
            store.close();
            store = null;
            if (swap != null) {
                swap.phase(flow, "close the recovery store");
            }
        }
    }

    synchronized Registration registration() {
        return registration;
    }

    /**
     * Stops the run at the next epoch boundary and waits until every worker has stopped: called
     * while the old provider's service is being unregistered, so the old code is still there.
     * Returns the swap, or null when this run is not running (it ended, or a swap already stopped it).
     */
    Swap quiesce(String cause) {
        Run r;
        Swap s;
        synchronized (this) {
            if (run == null || swap != null) {
                return null;
            }
            r = run;
            s = new Swap(cause);
            swap = s;
        }
        watched.swap(cause + ": stopping at the next epoch boundary", true);
        LOG.info("swap of flow '{}': {}; stopping at the next epoch boundary", flow, cause);
        r.stop();
        try {
            r.await();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException x) {
            // the run failed while stopping: its own thread reports it
        }
        s.stoppedAfter = r.stoppedAfter();
        s.phase(flow, "stop after epoch " + s.stoppedAfter + " (close, snapshot, flush)");
        return s;
    }
}
