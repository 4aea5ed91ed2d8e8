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
    /** The transport of the run's cluster links, or null when it runs alone. */
    private io.wax.spi.transport.Transport transport;
    /** The run's cluster links, or null. */
    private io.wax.spi.transport.Links links;
    /** True from the moment the links are joined until the run's thread has finished with them (see {@link #finished()}). */
    private boolean finishing;
    /** How long a going transport waits for the run's thread to finish with its links before closing them. */
    private static final long FINISH_WAIT_MS = Long.getLong("wax.swap.finish.wait.ms", 5000);
    /** The run's store: the durable one of -r (closed and reopened when the store bundle is swapped), or memory. */
    private io.wax.spi.recovery.DurableStore store;
    /** The recovery stores service that opened {@link #store} (null for memory): its going closes the store. */
    private RecoveryStores storeFrom;
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
     * The run thread: starts a run with these providers and this store, unless one of them went
     * meanwhile ({@code current} false, or the store closed because its bundle went): then the run
     * is (still, or now) swapping and the caller waits for the next provider. Under this run's lock,
     * so that a provider going away either sees the run (and stops it) or is seen here. Starting a
     * run ends the swap in progress with {@code outcome}.
     */
    synchronized Run start(java.util.function.Supplier<Run> start, Engine e, Registration r,
                           io.wax.spi.recovery.DurableStore expectedStore, io.wax.spi.transport.Transport t,
                           java.util.function.BooleanSupplier current,
                           String outcome) {
        if (e == null || store != expectedStore || !current.getAsBoolean()) {
            if (swap == null) {
                swap = new Swap("a provider went while the run started");
            }
            return null;
        }
        engine = e;
        registration = r;
        transport = t;
        run = start.get();
        if (swap != null) {
            swap = null;
            swapsDone++;
            lastOutcome = outcome;
            notifyAll();
        }
        return run;
    }

    /**
     * The run thread: the run ended; the swap that stopped it, or null when it ended for any other
     * reason. {@code peerSwap}: the run ended by another process's swap ("process N is swapping:
     * ..."), after epoch {@code stoppedAfter}; this process then swaps too, with the same providers:
     * it forms the cluster again and resumes from its snapshot at the same epoch. Set in the same
     * step as the run ends, so that a provider of this process going meanwhile finds the swap (and
     * is waited for by it) rather than no run and no swap.
     */
    synchronized Swap ended(String peerSwap, long stoppedAfter) {
        run = null;
        if (swap == null && peerSwap != null) {
            swap = new Swap(peerSwap);
            swap.stoppedAfter = stoppedAfter;
            watched.swap(peerSwap + ": stopped after epoch " + stoppedAfter, true);
            LOG.info("swap of flow '{}': {}; this process stopped after the same epoch", flow, peerSwap);
        }
        return swap;
    }

    synchronized RecoveryStores storeFrom() {
        return storeFrom;
    }

    /** The run thread: the swap is over (refused, abandoned, or the run ended). */
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

    synchronized boolean uses(io.wax.spi.transport.Transport t) {
        return t != null && transport == t;
    }

    synchronized boolean uses(Registration r) {
        return registration == r;
    }

    synchronized boolean uses(RecoveryStores s) {
        return s != null && storeFrom == s;
    }

    synchronized void store(io.wax.spi.recovery.DurableStore s, RecoveryStores from) {
        store = s;
        storeFrom = from;
    }

    /**
     * The run thread, resuming: opens the store through {@code from} unless it is open, or
     * {@code from} is no longer bound. Under this run's lock: a store bundle that goes while its
     * store opens (a refresh right after an update) waits in {@link #release} until the open is
     * done, then closes the store, so that no store of a gone bundle revision is ever used.
     * Whether the store is open.
     */
    synchronized boolean openStore(RecoveryStores from, java.util.function.BooleanSupplier bound,
                                   java.util.function.Supplier<io.wax.spi.recovery.DurableStore> open) {
        if (store != null) {
            return true;
        }
        if (!bound.getAsBoolean()) {
            return false;
        }
        store = open.get();
        storeFrom = from;
        if (swap != null) {
            swap.phase(flow, "open the recovery store");
        }
        return true;
    }

    /**
     * Closes a store opened by a stores service other than {@code current}: one whose bundle went
     * while the run's first store opened, before this run could be told (a going bundle closes
     * the stores of the runs it knows, see {@link #release(RecoveryStores, String)}).
     */
    synchronized void dropStoreNotFrom(RecoveryStores current) {
        if (store != null && storeFrom != null && storeFrom != current) {
            try {
                closeStore();
            } catch (RuntimeException | LinkageError x) {
                LOG.warn("flow '{}': closing a store whose bundle has gone failed", flow, x);
                store = null;
                storeFrom = null;
            }
        }
    }

    /**
     * A recovery stores service is going: a run on a store it opened stops at the next epoch
     * boundary, and the store is closed while the old bundle's code is still there, whether the
     * run was running or still resuming from an earlier swap.
     */
    void release(RecoveryStores s, String cause) {
        if (uses(s)) {
            quiesce(cause);
            closeStore();
        }
    }

    synchronized io.wax.spi.recovery.DurableStore store() {
        return store;
    }

    /** The run's cluster links, from the moment they are joined: a going transport closes them (see {@link #release(io.wax.spi.transport.Transport, String)}). */
    synchronized void links(io.wax.spi.transport.Links l) {
        links = l;
        finishing = l != null;
    }

    /**
     * The run's thread has finished with its links (told its peers this process completed its
     * run, and heard theirs), or given that up: a going transport may close them now.
     */
    synchronized void finished() {
        finishing = false;
        notifyAll();
    }

    /**
     * Closes the run's cluster links, once: on its thread when it ends or swaps, or on the thread
     * that unbinds its transport, while the old revision's classes are still there (its Netty
     * threads fail with NoClassDefFoundError once the bundle is refreshed).
     */
    synchronized void closeLinks() {
        finishing = false;
        notifyAll();
        if (links != null) {
            links.close();
            links = null;
            if (swap != null) {
                swap.phase(flow, "close the cluster links");
            }
        }
    }

    /** As {@link #release(RecoveryStores, String)}, for the transport of the run's cluster links. */
    void release(io.wax.spi.transport.Transport t, String cause) {
        if (uses(t)) {
            if (quiesce(cause) != null) {
                awaitFinished();
            }
            closeLinks();
        }
    }

    /**
     * Waits, at most {@link #FINISH_WAIT_MS}, until the run's thread has finished with its links.
     * Its workers have stopped, but it may not yet have told its peers that this process
     * completed its run: closing the links first ends their streams without that word, and a
     * peer takes it for this process failing, not swapping (its run then fails instead of forming
     * the cluster again; ClusterSwapKafkaTest, about 1 run in 10 under load). Bounded, since a
     * peer that never completes would hold the run's thread in finish(), which only the close
     * then wakes.
     */
    private synchronized void awaitFinished() {
        long until = System.currentTimeMillis() + FINISH_WAIT_MS;
        while (finishing && links != null) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes the store (its bundle is going away); the swap opens it again with the new bundle. */
    synchronized void closeStore() {
        if (store != null) {
            store.close();
            store = null;
            storeFrom = null;
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
     * Returns the swap, or null when this run is not running (it ended, or it is between runs in a
     * swap: its resume then sees that the provider went, at {@link #start}). A run that another
     * provider's going is already stopping is waited for too, so that the caller may close what it
     * uses.
     */
    Swap quiesce(String cause) {
        Run r;
        Swap s;
        boolean first;
        synchronized (this) {
            if (run == null) {
                return null;
            }
            r = run;
            first = swap == null;
            if (first) {
                swap = new Swap(cause);
            }
            s = swap;
        }
        if (first) {
            watched.swap(cause + ": stopping at the next epoch boundary", true);
            LOG.info("swap of flow '{}': {}; stopping at the next epoch boundary", flow, cause);
        }
        r.stopForSwap(cause); // in a cluster: every process stops after the same epoch, and forms it again
        try {
            r.await();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException x) {
            // the run failed while stopping: its own thread reports it
        }
        if (first) {
            s.stoppedAfter = r.stoppedAfter();
            s.phase(flow, "stop after epoch " + s.stoppedAfter + " (close, snapshot, flush)");
        }
        return s;
    }

    /** The phase a swap is in now, for wax:status and /status. */
    void now(String phase) {
        Swap s = swap();
        if (s != null) {
            watched.swap(s.cause + ": " + phase, true);
        }
    }
}
