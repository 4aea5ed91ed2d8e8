package io.wax.runtime.internal;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.plan.Describe;
import io.wax.plan.Plan;
import io.wax.plan.Plans;
import io.wax.spi.engine.ClusterException;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.Engine;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.monitor.FlowMonitor;
import io.wax.spi.monitor.RunningFlow;
import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.RecoveryStores;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.runtime.FlowInfo;
import io.wax.runtime.Getter;
import io.wax.runtime.RunControl;
import io.wax.runtime.RunFlags;
import io.wax.runtime.UsageException;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed flows: every {@link FlowFactory} service, bound and unbound as flow bundles come,
 * change and go, without restarting anything. A factory that fails (its component cannot be
 * created, {@code name()} throws, its name is taken) is kept as an entry with a problem, so that
 * {@code wax:flows} shows it and other flows are unaffected.
 */
@Component(service = WaxRuntime.class, immediate = true)
public final class FlowRegistry implements WaxRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(FlowRegistry.class);

    private final Map<ServiceReference<FlowFactory>, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<ServiceReference<FlowFactory>, ComponentServiceObjects<FlowFactory>> objects = new ConcurrentHashMap<>();
    private final UnresolvedFlowBundles unresolved;
    private final ServiceComponentRuntime scr;
    /** Rewrites exit calls in flow bundles: see {@link ExitGuard}. */
    private final ServiceRegistration<WeavingHook> exitGuard;
    /** Set by bin/wax for its one-command runs (framework property wax.launch). */
    private final boolean headless;
    /** Threads inside {@link #run}: each runs one flow, whose worker threads it owns. */
    private final java.util.Set<Thread> running = ConcurrentHashMap.newKeySet();
    /** The runs a bundle update may swap (see {@link LiveRun}). */
    private final java.util.Set<LiveRun> lives = ConcurrentHashMap.newKeySet();
    /** Notified when an engine, a flow or a recovery stores service comes, or a refresh ends: swaps wait on it. */
    private final Object providers = new Object();
    private final BundleContext context;
    private final org.osgi.framework.wiring.FrameworkWiring wiring;
    /** Counts the framework's refreshes, so that a swap can wait for one that is due. */
    private final java.util.concurrent.atomic.AtomicLong refreshes = new java.util.concurrent.atomic.AtomicLong();
    private final org.osgi.framework.FrameworkListener refreshListener = event -> {
        if (event.getType() == org.osgi.framework.FrameworkEvent.PACKAGES_REFRESHED) {
            refreshes.incrementAndGet();
            wakeSwaps();
        }
    };
    private volatile boolean deactivating;

    @Activate
    public FlowRegistry(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.scr = scr;
        this.context = context;
        this.wiring = context.getBundle(org.osgi.framework.Constants.SYSTEM_BUNDLE_ID)
                .adapt(org.osgi.framework.wiring.FrameworkWiring.class);
        context.addFrameworkListener(refreshListener);
        this.headless = "headless".equals(context.getProperty("wax.launch"));
        this.exitGuard = context.registerService(WeavingHook.class, new ExitGuard(), null);
        this.unresolved = new UnresolvedFlowBundles(context);
        unresolved.open();
    }

    /**
     * Stops the flows still running, so that no worker thread outlives this bundle: interrupting
     * a run's thread stops every worker of the run, and the run returns once they have ended.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        deactivating = true;
        wakeSwaps();
        context.removeFrameworkListener(refreshListener);
        exitGuard.unregister();
        unresolved.close();
        for (Thread t : running) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        synchronized (running) {
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                running.wait(100);
            }
        }
        if (!running.isEmpty()) {
            LOG.warn("{} flow run(s) did not stop within 10 s of the runtime stopping", running.size());
        }
    }

    /**
     * The engine, bound dynamically and greedily: stopping or updating the engine bundle unbinds it
     * (runs then report that there is no engine) and a new engine is picked up without restarting
     * the runtime. A run on an engine that goes is swapped to the next one (see {@link LiveRun}).
     */
    private volatile Engine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(Engine e) {
        LOG.info("the Wax engine is available");
        engine = e;
        wakeSwaps();
    }

    /**
     * Called while the engine's service is unregistered, before the engine bundle stops: every run
     * on it stops at its next epoch boundary (a swap), so no run is aborted by the engine's going.
     */
    void unbindEngine(Engine e) {
        if (engine == e) {
            engine = null; // first: a swap must not take the going engine for the new one
        }
        for (LiveRun live : lives) {
            if (live.uses(e)) {
                live.quiesce("the engine bundle " + bundleName(e.getClass()) + " is being updated or stopped");
            }
        }
        LOG.info("the Wax engine is gone");
    }

    /** Serves runs' figures (the observability bundle); absent when that bundle is not active. */
    private volatile FlowMonitor monitor;
    /** How long a run with a metrics port waits for the monitor to come up (bundles starting in parallel). */
    private static final long MONITOR_WAIT_MS = 5_000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMonitor(FlowMonitor m) {
        synchronized (running) {
            monitor = m;
            running.notifyAll();
        }
    }

    void unbindMonitor(FlowMonitor m) {
        if (monitor == m) {
            monitor = null;
        }
    }

    /** The monitor; for a run that asks for a metrics port, after waiting a moment for it to start. */
    private FlowMonitor monitor(RunFlags flags) {
        long deadline = System.nanoTime() + MONITOR_WAIT_MS * 1_000_000L;
        synchronized (running) {
            while (monitor == null && flags.metricsPort() > 0 && System.nanoTime() < deadline) {
                try {
                    running.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        FlowMonitor m = monitor;
        if (m == null && flags.metricsPort() > 0) {
            throw new WaxException("--metrics-port needs the observability bundle (io.wax.observability), which is not active;"
                    + " start it (in the shell: lb observability, then start ID), or run without --metrics-port");
        }
        return m;
    }

    /**
     * The recovery stores service, bound dynamically: the store bundle may be stopped, updated and
     * started again; a run keeps the store it opened, and closes it when it ends.
     */
    private volatile RecoveryStores recoveryStores;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRecoveryStores(RecoveryStores s) {
        recoveryStores = s;
        wakeSwaps();
    }

    /** As {@link #unbindEngine}: runs whose store this service opened stop, and close the store before the bundle stops. */
    void unbindRecoveryStores(RecoveryStores s) {
        if (recoveryStores == s) {
            recoveryStores = null;
        }
        for (LiveRun live : lives) {
            live.release(s, "the recovery store bundle " + bundleName(s.getClass()) + " is being updated or stopped");
        }
    }

    @Override
    public String recoveryInit(String directory, int partitions, boolean force) {
        RecoveryStores stores = recoveryStores;
        if (stores == null) {
            throw new WaxException(Recovery.NO_STORE);
        }
        try {
            stores.init(java.nio.file.Path.of(directory), partitions, force);
            return "created a recovery store of " + partitions + " partition" + (partitions == 1 ? "" : "s") + " in "
                    + java.nio.file.Path.of(directory).toAbsolutePath().normalize();
        } catch (RecoveryException e) {
            throw new WaxException(e.getMessage(), e);
        }
    }

    @Override
    public String recoveryInfo(String directory) {
        RecoveryStores stores = recoveryStores;
        if (stores == null) {
            throw new WaxException(Recovery.NO_STORE);
        }
        try {
            return stores.info(java.nio.file.Path.of(directory));
        } catch (RecoveryException e) {
            throw new WaxException(e.getMessage(), e);
        }
    }

    /** The cluster transport for runs with -i/-a; absent without the gRPC transport bundle. */
    private volatile Transport transport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(transport=grpc)")
    void bindTransport(Transport t) {
        transport = t;
        wakeSwaps();
    }

    /**
     * As {@link #unbindEngine}: a run on this transport stops at its next epoch boundary and its
     * links close while the old bundle's code is still there. A run that is the only process of
     * its cluster then joins again through the next transport; a run with peers stops (its peers
     * would have to swap at the same epoch, which is not done yet).
     */
    void unbindTransport(Transport t) {
        if (transport == t) {
            transport = null;
        }
        for (LiveRun live : lives) {
            live.release(t, "the transport bundle " + bundleName(t.getClass()) + " is being updated or stopped");
        }
    }

    /** Lists the jars of deploy/ that cannot be installed; absent where FileInstall is not used. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeployInstaller deploy;

    @Reference(service = FlowFactory.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFlow(ComponentServiceObjects<FlowFactory> flow) {
        ServiceReference<FlowFactory> ref = flow.getServiceReference();
        Registration r = Registrations.read(flow, scr);
        if (r.problem() != null) {
            String message = "flow bundle {} {} cannot provide its flow: {}";
            if (headless) {
                // wax flows shows it; every headless command would repeat it on stderr
                LOG.info(message, r.bundle().getSymbolicName(), r.bundle().getVersion(), r.problem());
            } else {
                LOG.warn(message, r.bundle().getSymbolicName(), r.bundle().getVersion(), r.problem());
            }
        } else {
            LOG.info("flow '{}' from bundle {} {} is available", r.name(), r.bundle().getSymbolicName(), r.bundle().getVersion());
        }
        objects.put(ref, flow);
        registrations.put(ref, r);
        wakeSwaps();
    }

    void removeFlow(ComponentServiceObjects<FlowFactory> flow) {
        ServiceReference<FlowFactory> ref = flow.getServiceReference();
        Registration gone = registrations.remove(ref); // first: a swap must not take the going flow for the new one
        if (gone != null) {
            for (LiveRun live : lives) {
                if (live.uses(gone)) {
                    // The old revision's classes are still there: stop the run on them.
                    live.quiesce("the flow bundle " + gone.bundle().getSymbolicName() + " "
                            + gone.bundle().getVersion() + " is being updated or stopped");
                }
            }
        }
        Registration r = gone;
        ComponentServiceObjects<FlowFactory> objs = objects.remove(ref);
        if (r != null && r.factory() != null && objs != null) {
            try {
                objs.ungetService(r.factory());
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the providing bundle is already stopping: nothing left to release
            }
        }
        if (r != null) {
            LOG.info("flow '{}' from bundle {} is gone", r.name(), r.bundle().getSymbolicName());
        }
    }

    @Override
    public List<FlowInfo> flows() {
        List<FlowInfo> out = new ArrayList<>();
        for (Registration r : current()) {
            out.add(r.info());
        }
        out.addAll(unresolved.infos());
        DeployInstaller d = deploy;
        if (d != null) {
            out.addAll(d.broken());
        }
        out.sort(Comparator.comparing((FlowInfo f) -> f.name() == null ? "\uffff" : f.name()).thenComparing(FlowInfo::bundle));
        return out;
    }

    @Override
    public String describe(String getter, String format) {
        String f = format == null ? "json" : format;
        if (!f.equals("json") && !f.equals("mermaid")) {
            throw new UsageException("--format must be json or mermaid, got '" + format + "'");
        }
        Dataflow flow = build(Getter.parse(getter)).flow();
        return f.equals("json") ? Describe.json(Plans.of(flow)) : Describe.mermaid(Plans.of(flow));
    }

    @Override
    public void run(String getterText, RunFlags flags, PrintStream out, InputStream in, RunControl control) {
        String unavailable = flags.unavailable();
        if (unavailable != null) {
            throw new WaxException(unavailable);
        }
        Getter getter = Getter.parse(getterText);
        FlowMonitor m = monitor(flags);
        Built built = build(getter);
        Plan plan = Plans.of(built.flow());
        checkVersions(plan, built.flow());
        RunOptions base = RunOptions.defaults().withWorkers(flags.workers())
                .withEpochInterval(flags.epochInterval()).withStdio(out, in)
                .withSnapshotInterval(flags.recoveryDirectory() != null ? flags.snapshotInterval() : NEVER);
        // Without -r the run keeps its snapshots in this bundle's memory, taken only when a swap
        // stops it and at end of input, so that state outlives a swap of the engine or the flow.
        // Headless runs (bin/wax run) keep none: with recovery on, the engine holds back a failed
        // run's last output (BadInputTest), and a headless process runs one flow to its end.
        RecoveryStores storesUsed = flags.recoveryDirectory() != null ? recoveryStores : null;
        DurableStore store = flags.recoveryDirectory() != null ? Recovery.open(storesUsed, flags, plan)
                : headless ? null : new MemoryStore();
        Watched watched = new Watched(getter.name(), getterText.strip(), Describe.json(plan), flags.workers(),
                flags.processId() == null ? 0 : flags.processId(), flags.metricsPort(), flags.metricsHost());
        if (m != null) {
            try {
                m.watch(watched);
            } catch (IllegalArgumentException x) {
                if (store != null) {
                    store.close();
                }
                throw new WaxException(x.getMessage());
            }
            if (m.events() != null) {
                base = base.withEvents(m.events());
            }
        }
        LiveRun live = new LiveRun(getter.name(), watched);
        live.store(store, storesUsed);
        Thread thread = Thread.currentThread();
        ClassLoader old = thread.getContextClassLoader();
        running.add(thread);
        lives.add(live);
        Links links = null;
        String pendingOutcome = null; // a swap's outcome, told once its new run has started
        try {
            while (true) {
                // Worker threads inherit the context loader: libraries inside flows find resources through it.
                thread.setContextClassLoader(built.loader());
                Engine e = engine;
                if (e == null && live.swap() == null) {
                    throw new WaxException("no engine: the Wax engine bundle (io.wax.engine) is not active, so flow '"
                            + getter.name() + "' cannot run; start it again (in the shell: lb engine, then start ID)");
                }
                DurableStore ds = live.store();
                RecoveryStores st = live.storeFrom();
                RunOptions options = ds == null ? base : base.withRecovery(new VersionedStore(ds,
                        plan.flowId(), built.flow().stateVersions(), plan.codecs(), false));
                Transport tr = transport;
                if (flags.clustered() && links == null && (tr != null || live.swap() == null)) {
                    // Without a transport: says so. Null when this process's own providers changed
                    // while it rejoined (its flow updated too): the swap then resumes with them.
                    links = live.swap() != null && flags.addresses().size() > 1
                            ? rejoin(live, tr, getter, built, plan, flags)
                            : Clusters.join(tr, getter, built.version(), plan, flags, null);
                    live.links(links);
                }
                if (links != null) {
                    options = options.withCluster(links);
                }
                String outcomeNow = outcome(pendingOutcome, live.swap());
                Run run;
                Map<String, String> builds;
                try {
                    Plan p = plan;
                    RunOptions o = options;
                    Registration reg = built.registration();
                    // A provider that went since the swap found it (a refresh right after an update)
                    // fails this check, and the swap waits for the next one.
                    Transport usedTr = links == null ? null : tr;
                    // Which build of each provider this run starts on: wax:status, and the swap's outcome line.
                    // Set as the run starts, before wax:update is told that the swap is done.
                    Map<String, String> b = Builds.of(e, usedTr, st == null ? null : ds, built.builds());
                    builds = b;
                    run = live.start(() -> {
                        Run started = e.start(p, o);
                        watched.builds(b);
                        return started;
                    }, e, reg, ds, usedTr, () -> engine == e
                            && (!flags.clustered() || usedTr != null)
                            && registrations.containsValue(reg) && (st == null || recoveryStores == st)
                            && (flags.recoveryDirectory() == null || ds != null) && (usedTr == null || transport == usedTr),
                            outcomeNow == null ? null : outcomeNow + "; runs on " + Builds.text(b));
                } catch (IllegalArgumentException x) {
                    // The engine's checks at run start (no input, no output) name the flow already.
                    throw new WaxException(x.getMessage(), x);
                }
                if (run == null) {
                    LOG.info("swap of flow '{}': a provider went while the swap resumed; waiting for the next one", live.flow);
                    live.closeLinks();
                    links = null;
                    Swapped next = resume(live, live.swap(), getter, flags, built, plan, control);
                    if (next == null) {
                        live.swapDone("stopped during the swap");
                        watched.ended(RunningFlow.State.STOPPED, null);
                        break;
                    }
                    built = next.built();
                    plan = next.plan();
                    pendingOutcome = next.outcome();
                    continue;
                }
                if (pendingOutcome != null) {
                    LOG.info("swap of flow '{}': {}; runs on {}", live.flow, outcomeNow, Builds.text(builds));
                    watched.swap(outcomeNow, false);
                    pendingOutcome = null;
                }
                watched.started(run);
                control.bind(new RunControl.Target() {
                    @Override
                    public void stop() {
                        run.stop();
                    }

                    @Override
                    public void abort(Duration grace) {
                        run.abort(grace);
                    }
                });
                try {
                    await(run);
                    if (links != null) {
                        // Exit 0 only once every process has completed: one may still fail after this one's workers are done.
                        String late;
                        try {
                            late = Clusters.finish(links);
                        } finally {
                            live.finished(); // a going transport may close the links now (LiveRun.release)
                        }
                        await(run); // a peer's failure report, with its step, worker and epoch, wins
                        if (late != null && run.swapStop() != null) {
                            // Stopped for a swap after an epoch durable everywhere: a peer that ends its
                            // links meanwhile is swapping (its transport's links close at once); whether it
                            // is still there, forming the cluster again finds out.
                            LOG.info("flow '{}': {} (the cluster stopped for a swap)", getter.name(), late);
                        } else if (late != null) {
                            throw new WaxException("flow '" + getter.name() + "' stopped: " + late);
                        }
                    }
                } finally {
                    control.unbind();
                }
                boolean peers = links != null && flags.addresses().size() > 1;
                // In a cluster: the swap the cluster stopped for (this process's or a peer's), or null
                // when a plain stop was asked of any process, which wins (the cluster is stopping).
                String swapStop = peers ? run.swapStop() : null;
                LiveRun.Swap swap = live.ended(swapStop != null && !control.stopRequested() ? swapStop : null, run.stoppedAfter());
                if (swap != null) {
                    swap.stoppedAfter = run.stoppedAfter();
                }
                if (swap == null || run.stoppedAfter() < 0 || control.stopRequested() || peers && swapStop == null) {
                    if (swap != null) {
                        live.swapDone(run.stoppedAfter() >= 0 ? "not swapped: the cluster was asked to stop; the run stopped"
                                : "not swapped: the run had ended");
                    }
                    if (run.stoppedAfter() >= 0) {
                        LOG.info("flow '{}' stopped after epoch {}", getter.name(), run.stoppedAfter());
                    }
                    watched.ended(run.stoppedAfter() >= 0 ? RunningFlow.State.STOPPED : RunningFlow.State.ENDED, null);
                    break;
                }
                if (live.store() == null && flags.recoveryDirectory() == null) {
                    live.swapDone("not swapped: a headless run without -r keeps no snapshots");
                    throw new WaxException("flow '" + getter.name() + "' stopped after epoch " + run.stoppedAfter() + ": "
                            + swap.cause + ", and a headless run without -r keeps no state to carry over;"
                            + " run it with -r DIR to resume it, or update bundles between runs");
                }
                if (links != null) {
                    // It joins again, through the transport then bound: a fresh handshake and generation.
                    live.closeLinks();
                    links = null;
                    if (peers && flags.recoveryDirectory() != null) {
                        // A store of a cluster's process serves one execution: it is opened again, and
                        // reads what every process committed (durable everywhere once the run ended).
                        live.closeStore();
                    }
                }
                Swapped next = resume(live, swap, getter, flags, built, plan, control);
                if (next == null) { // stopped while waiting: as a graceful stop
                    live.swapDone("stopped during the swap");
                    LOG.info("flow '{}' stopped after epoch {}", getter.name(), run.stoppedAfter());
                    watched.ended(RunningFlow.State.STOPPED, null);
                    break;
                }
                built = next.built();
                plan = next.plan();
                pendingOutcome = next.outcome();
            }
        } catch (FlowFailedException e) {
            // The caller shows the error; the log keeps the stack, below warning level so that
            // a headless run's stderr carries the one-paragraph error only once.
            LOG.info("flow '{}' failed", getter.name(), e);
            WaxException x = new WaxException(Failures.describe(e) + userFrame(e), e);
            watched.ended(RunningFlow.State.FAILED, x.getMessage());
            throw x;
        } catch (FlowAbortedException | ClusterException e) {
            watched.ended(RunningFlow.State.FAILED, e.getMessage());
            throw new WaxException(e.getMessage(), e); // names the flow already
        } catch (WaxException e) {
            watched.ended(RunningFlow.State.FAILED, e.getMessage());
            throw e;
        } catch (RecoveryException e) {
            watched.ended(RunningFlow.State.FAILED, e.getMessage());
            throw new WaxException("flow '" + getter.name() + "' stopped: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.error("flow '{}' stopped", getter.name(), e);
            watched.ended(RunningFlow.State.FAILED, "flow '" + getter.name() + "' stopped: " + e);
            throw new WaxException("flow '" + getter.name() + "' stopped: " + e, e);
        } finally {
            if (live.swap() != null) {
                live.swapDone("the run ended during the swap");
            }
            lives.remove(live);
            // Sends what is still queued (a failure report included) before the peers are let go.
            live.closeLinks();
            live.closeStore();
            thread.setContextClassLoader(old);
            running.remove(thread);
            synchronized (running) {
                running.notifyAll();
            }
        }
    }

    @Override
    public String update(String bundleName, String source) {
        Bundle b = null;
        for (Bundle x : context.getBundles()) {
            if (bundleName.equals(x.getSymbolicName()) || bundleName.equals(Long.toString(x.getBundleId()))) {
                b = x;
            }
        }
        if (b == null) {
            throw new WaxException("no bundle '" + bundleName + "' is installed; give a bundle id or symbolic name (lb lists them)");
        }
        if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
            throw new WaxException("bundle " + b.getSymbolicName() + " cannot be updated while flows run: it "
                    + (b.getBundleId() == 0 ? "is the framework" : "holds the runs and their swaps") + "; restart Wax to update it");
        }
        Map<LiveRun, Integer> before = new java.util.HashMap<>();
        for (LiveRun l : lives) {
            before.put(l, l.swapsDone());
        }
        String from = b.getVersion().toString();
        long t0 = System.nanoTime();
        try (InputStream in = source == null ? null : open(source)) {
            if (in == null) {
                b.update();
            } else {
                b.update(in);
            }
        } catch (java.io.IOException x) {
            throw new WaxException("cannot read " + source + ": " + x.getMessage() + "; give a readable file or URL", x);
        } catch (org.osgi.framework.BundleException | IllegalStateException x) {
            throw new WaxException("the framework refused to update " + b.getSymbolicName() + ": " + x.getMessage(), x);
        }
        if (wiring.getRemovalPendingBundles().contains(b)) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            wiring.refreshBundles(List.of(b), e -> done.countDown());
            try {
                done.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        StringBuilder report = new StringBuilder(String.format(java.util.Locale.ROOT, "updated %s %s -> %s in %.3f s",
                b.getSymbolicName(), from, b.getVersion(), (System.nanoTime() - t0) / 1e9));
        long deadline = System.currentTimeMillis() + SWAP_WAIT_MS + 10_000;
        for (Map.Entry<LiveRun, Integer> e : before.entrySet()) {
            LiveRun l = e.getKey();
            synchronized (l) {
                while (l.swapsDone() == e.getValue() && l.swap() != null && System.currentTimeMillis() < deadline) {
                    try {
                        l.wait(100);
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            if (l.swapsDone() != e.getValue()) {
                report.append("\nflow '").append(l.flow).append("': ").append(l.lastOutcome());
            } else if (l.swap() != null) {
                report.append("\nflow '").append(l.flow).append("': still swapping");
            }
        }
        return report.toString();
    }

    private static InputStream open(String source) throws java.io.IOException {
        java.nio.file.Path p = java.nio.file.Path.of(source);
        if (java.nio.file.Files.isRegularFile(p)) {
            return java.nio.file.Files.newInputStream(p);
        }
        if (source.contains(":")) {
            return new java.net.URL(source).openStream();
        }
        throw new java.io.FileNotFoundException("no such file");
    }

    /** The snapshot interval of a run without -r: never, but at a swap and at end of input. */
    private static final Duration NEVER = Duration.ofDays(365L * 1000);
    /** How long a swap waits for the new provider (the updated bundle to start again) before the run ends. */
    static final long SWAP_WAIT_MS = Long.getLong("wax.swap.wait.ms", 30_000);
    /** How long a swap waits for a refresh that the updated bundle's old revision calls for. */
    private static final long REFRESH_WAIT_MS = 5_000;

    /** What a swap resumes with; {@code outcome} starts what wax:update prints (see {@link #outcome}). */
    private record Swapped(Built built, Plan plan, String outcome) {
    }

    /** A swap's outcome once its run starts: in a cluster, forming it again is one of its phases. */
    private static String outcome(String resumed, LiveRun.Swap swap) {
        if (resumed == null || swap == null) {
            return resumed;
        }
        return resumed + " after epoch " + swap.stoppedAfter + " in " + String.format(java.util.Locale.ROOT, "%.3f s", swap.seconds())
                + " (" + swap.cause + ": " + swap.phases + ")";
    }

    /**
     * The second half of a swap, on the run's thread: waits for the new providers (the engine, the
     * flow, the store), lets a due refresh happen first, builds the flow with the new code and
     * checks its state versions against the old code's. A refused flow update puts the old
     * revision back and resumes on it. A provider that goes meanwhile (an update and a refresh
     * back to back) sends the swap back to waiting for the next one. Returns what to resume with,
     * or null when the run was stopped meanwhile.
     */
    private Swapped resume(LiveRun live, LiveRun.Swap swap, Getter getter, RunFlags flags, Built oldBuilt, Plan oldPlan,
                           RunControl control) {
        while (true) {
            live.now("waiting for the new provider");
            Registration r = awaitProviders(live, swap, getter, flags, control);
            if (r == null) {
                return null;
            }
            swap.phase(live.flow, "wait for the new provider");
            // The same flow service (an engine or store swap): the running flow's objects go on,
            // which also keeps a run whose flow update was refused on its old code.
            boolean same = r == oldBuilt.registration();
            String refused = null;
            Built next;
            if (same) {
                next = oldBuilt;
            } else {
                live.now("building the flow with the new code");
                try {
                    next = build(getter);
                } catch (WaxException x) {
                    if (registrations.containsValue(r)) {
                        throw x;
                    }
                    LOG.info("swap of flow '{}': the flow bundle went while the flow was built; waiting for the next one", live.flow, x);
                    continue;
                }
            }
            Plan plan = same ? oldPlan : Plans.of(next.flow());
            String problem = same ? null : incompatible(oldPlan, oldBuilt.flow(), plan, next.flow());
            if (problem != null) {
                // The old run's flow objects, built by the old revision's classes, stay in use:
                // every class they need has been loaded by the run before the swap. The run is
                // tied to the new registration, so that the next update of the bundle swaps it again.
                LOG.error("{}: the update of {} to {} is refused and flow '{}' goes on with its old code", problem,
                        r.bundle().getSymbolicName(), r.bundle().getVersion(), live.flow);
                refused = problem;
                next = new Built(oldBuilt.flow(), oldBuilt.loader(), oldBuilt.version(), r, oldBuilt.builds());
                plan = oldPlan;
                swap.phase(live.flow, "refuse the new code");
            }
            checkVersions(plan, next.flow());
            RecoveryStores stores = recoveryStores;
            if (flags.recoveryDirectory() != null) {
                live.now("opening the recovery store");
                live.dropStoreNotFrom(stores);
                Plan p = plan;
                if (stores == null || !live.openStore(stores, () -> recoveryStores == stores, () -> Recovery.open(stores, flags, p))) {
                    continue; // the store bundle went again: wait for its next service
                }
            }
            live.now("starting the flow");
            return new Swapped(next, plan, refused != null ? "refused: " + refused + "; resumed on the old code" : "resumed");
        }
    }

    /** Waits until the engine, the flow (and with -r, the stores) are there; the flow's registration, or null when stopped. */
    private Registration awaitProviders(LiveRun live, LiveRun.Swap swap, Getter getter, RunFlags flags, RunControl control) {
        long deadline = System.currentTimeMillis() + SWAP_WAIT_MS;
        long refreshSeen = -1;
        long refreshDeadline = 0;
        // Never holds the providers monitor while asking the framework: getRemovalPendingBundles
        // takes Felix's global lock, which a refresh holds while it restarts bundles and binds
        // their services here (wakeSwaps): a refresh of the Kafka connector deadlocked on it.
        // A stop asked of a process of a cluster during its swap is applied once the cluster has
        // formed again (the new run stops at once, and asks every process to): stopping here alone
        // would leave its peers forming the cluster without it until their swap wait runs out.
        boolean stopLater = flags.clustered() && flags.addresses().size() > 1;
        while (true) {
            if (control.stopRequested() && !stopLater || Thread.currentThread().isInterrupted()) {
                return null;
            }
            if (deactivating) {
                throw new WaxException("flow '" + live.flow + "' stopped after epoch " + swap.stoppedAfter
                        + " during a swap: the Wax runtime is stopping");
            }
            Registration r = findQuietly(getter.name());
            Transport tr = transport;
            boolean ready = engine != null && r != null && (flags.recoveryDirectory() == null || recoveryStores != null)
                    && (!flags.clustered() || tr != null);
            if (ready) {
                java.util.Collection<Bundle> pending = wiring.getRemovalPendingBundles();
                boolean due = pending.contains(r.bundle()) || pending.contains(bundleOf(engine.getClass()))
                        || recoveryStores != null && pending.contains(bundleOf(recoveryStores.getClass()))
                        || tr != null && pending.contains(bundleOf(tr.getClass()));
                if (!due) {
                    return r;
                }
                if (refreshSeen < 0) { // an old revision is still wired: its refresh restarts the bundle again
                    refreshSeen = refreshes.get();
                    refreshDeadline = System.currentTimeMillis() + REFRESH_WAIT_MS;
                } else if (refreshes.get() != refreshSeen || System.currentTimeMillis() > refreshDeadline) {
                    return r;
                }
            } else if (System.currentTimeMillis() > deadline) {
                throw new WaxException("flow '" + live.flow + "' stopped after epoch " + swap.stoppedAfter + ": "
                        + swap.cause + ", and no new " + (engine == null ? "engine" : r == null ? "flow '" + live.flow + "'"
                        : flags.clustered() && tr == null ? "cluster transport" : "recovery store") + " came within " + SWAP_WAIT_MS / 1000 + " s"
                        + (flags.recoveryDirectory() != null ? " (a new run resumes after that epoch)" : ""));
            }
            try {
                synchronized (providers) {
                    providers.wait(50); // a wake-up missed before this wait costs one poll
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** How long a swap waits before it tries again to form its cluster. */
    private static final long REJOIN_BACKOFF_MS = 500;

    /**
     * A swap in a cluster of several processes: forms the cluster again, a fresh handshake and
     * generation. While the processes differ (one has the new flow bundle, the other not yet: the
     * operator updates them one after another), it tries again until the swap wait runs out, and
     * then fails with the handshake's error, which names the difference and both values. Returns
     * null when this process's own flow or transport changed meanwhile: the swap then resumes with them.
     */
    private Links rejoin(LiveRun live, Transport tr, Getter getter, Built built, Plan plan, RunFlags flags) {
        LiveRun.Swap swap = live.swap();
        live.now("forming the cluster again");
        long start = System.currentTimeMillis();
        long deadline = start + SWAP_WAIT_MS;
        int tries = 0;
        // The last handshake that found a difference: once a peer gives up, this process's last
        // tries only find nobody answering, and the difference is what the operator must fix.
        WaxException difference = null;
        while (true) {
            tries++;
            long left = Math.max(1000, deadline - System.currentTimeMillis());
            Duration timeout = Duration.ofMillis(Math.min(flags.cluster().timeout().toMillis(), left));
            try {
                Links l = Clusters.connect(tr, getter, built.version(), plan, flags, timeout);
                if (swap != null) {
                    swap.phase(live.flow, "form the cluster again" + (tries > 1 ? " (" + tries + " tries)" : ""));
                }
                return l;
            } catch (WaxException x) {
                if (x.getMessage().contains(" disagree: ")) {
                    difference = x;
                }
                if (System.currentTimeMillis() >= deadline || Thread.currentThread().isInterrupted()) {
                    WaxException why = difference != null ? difference : x;
                    throw new WaxException(why.getMessage() + " (after a swap: " + (swap == null ? "" : swap.cause + "; ")
                            + "tried for " + (System.currentTimeMillis() - start) / 1000 + " s, " + tries + " time"
                            + (tries == 1 ? "" : "s") + "). Update the bundle in every process of the cluster within "
                            + SWAP_WAIT_MS / 1000 + " s of each other (-Dwax.swap.wait.ms)", why);
                }
                LOG.info("swap of flow '{}': the cluster did not form again yet, trying again: {}", live.flow, x.getMessage());
            }
            long until = System.currentTimeMillis() + REJOIN_BACKOFF_MS;
            while (System.currentTimeMillis() < until) {
                if (transport != tr || !registrations.containsValue(built.registration()) || deactivating) {
                    LOG.info("swap of flow '{}': a provider of this process changed while the cluster formed again; resuming with it", live.flow);
                    return null;
                }
                try {
                    synchronized (providers) {
                        providers.wait(50);
                    }
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new WaxException("flow '" + getter.name() + "' was stopped while its cluster formed again");
                }
            }
            if (transport != tr || !registrations.containsValue(built.registration())) {
                return null;
            }
        }
    }

    private void wakeSwaps() {
        synchronized (providers) {
            providers.notifyAll();
        }
    }

    /** The runnable registration of a flow name, or null. */
    private Registration findQuietly(String name) {
        for (Registration r : current()) {
            if (name.equals(r.name()) && r.problem() == null) {
                return r;
            }
        }
        return null;
    }

    /**
     * Why a new flow cannot take over the old one's state, or null: a stateful step that is gone
     * (its state would be lost), or a state version that changed without a migration from the old one.
     */
    static String incompatible(Plan oldPlan, Dataflow oldFlow, Plan newPlan, Dataflow newFlow) {
        java.util.Set<String> now = Recovery.statefulSteps(newPlan);
        for (String step : Recovery.statefulSteps(oldPlan)) {
            if (!now.contains(step)) {
                return "flow '" + newPlan.flowId() + "': the new code has no step '" + step + "', whose state the running flow keeps";
            }
            io.wax.api.StateVersion from = VersionedStore.declared(oldFlow.stateVersions(), step);
            io.wax.api.StateVersion to = VersionedStore.declared(newFlow.stateVersions(), step);
            int f = from == null ? 0 : from.version();
            int t = to == null ? 0 : to.version();
            if (f != t && (f > t || to == null || to.migration() == null)) {
                return VersionedStore.refusal(newPlan.flowId(), step, f, t);
            }
        }
        return null;
    }

    /** Every declared state version must name a stateful step of the flow. */
    private static void checkVersions(Plan plan, Dataflow flow) {
        java.util.Set<String> stateful = Recovery.statefulSteps(plan);
        for (String id : flow.stateVersions().keySet()) {
            boolean found = stateful.stream().anyMatch(s -> s.equals(id) || s.startsWith(id + "."));
            if (!found) {
                throw new WaxException("flow '" + plan.flowId() + "' declares a state version for step '"
                        + flow.stateVersions().get(id).stepId() + "', which is not a stateful step of the flow; stateful steps: "
                        + String.join(", ", stateful));
            }
        }
    }

    private static Bundle bundleOf(Class<?> c) {
        return org.osgi.framework.FrameworkUtil.getBundle(c);
    }

    private static String bundleName(Class<?> c) {
        Bundle b = bundleOf(c);
        return b == null ? c.getName() : b.getSymbolicName() + " " + b.getVersion();
    }

    /**
     * Waits for a run; interrupting the waiting thread (the shell's Ctrl-C, the runtime stopping)
     * aborts the run, which then still ends before this returns.
     */
    private static void await(Run run) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    run.await();
                    return;
                } catch (InterruptedException x) {
                    interrupted = true;
                    run.abort();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A flow built by a flow bundle; {@code builds}: the builds of the flow's code and its connectors, read as it was built. */
    private record Built(Dataflow flow, ClassLoader loader, String version, Registration registration, Map<String, String> builds) {
    }

    private Built build(Getter getter) {
        Registration r = find(getter.name());
        List<Object> args = Arguments.convert(getter, r.params());
        ClassLoader loader = r.factory().getClass().getClassLoader();
        Dataflow flow;
        try {
            flow = withLoader(loader, () -> r.factory().build(args));
        } catch (Exception | LinkageError e) {
            LOG.info("flow '{}' could not be built", getter.name(), e);
            // An argument the flow refuses says so itself; anything else needs its class to be understood.
            String why = e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
            throw new WaxException("flow '" + getter.name() + "' could not be built: " + why + builderCaller(e), e);
        }
        if (flow == null) {
            throw new WaxException("flow '" + getter.name() + "' could not be built: its factory "
                    + r.factory().getClass().getName() + " returned null");
        }
        return new Built(flow, loader, r.bundle().getVersion().toString(), r, Builds.flow(loader, flow));
    }

    private Registration find(String name) {
        List<Registration> all = current();
        for (Registration r : all) {
            if (name.equals(r.name())) {
                if (r.problem() != null) {
                    throw new WaxException(r.problem().startsWith(CONFLICT) ? r.problem()
                            : "flow '" + name + "' (bundle " + r.bundle().getSymbolicName() + ") cannot run: " + r.problem());
                }
                return r;
            }
        }
        List<String> names = all.stream().filter(r -> r.problem() == null).map(r -> r.info().signature()).sorted().toList();
        throw new WaxException("no flow named '" + name + "' is deployed; "
                + (names.isEmpty() ? "no flows are deployed (drop a flow bundle into deploy/)" : "deployed flows: " + String.join(", ", names)));
    }

    /** How the problem of a flow name offered more than once starts. */
    private static final String CONFLICT = "the flow name '";

    /**
     * The registrations, where a flow name offered by more than one registration is a conflict
     * for all of them (named in the same words for each), never a race that the start-up order wins.
     */
    private List<Registration> current() {
        Map<String, List<Registration>> byName = new TreeMap<>();
        List<Registration> out = new ArrayList<>();
        for (Registration r : registrations.values()) {
            if (r.name() == null) {
                out.add(r);
            } else {
                byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
            }
        }
        for (List<Registration> same : byName.values()) {
            if (same.size() == 1) {
                out.addAll(same);
                continue;
            }
            List<String> who = same.stream().map(r -> r.bundle().getSymbolicName() + " " + r.bundle().getVersion()
                    + " (" + fileOf(r.bundle()) + ")").sorted().toList();
            String conflict = CONFLICT + same.get(0).name() + "' is offered by " + same.size() + " flows: "
                    + String.join(" and ", who) + "; remove all but one of them from deploy/";
            for (Registration r : same) {
                out.add(r.withProblem(conflict));
            }
        }
        return out;
    }

    private String fileOf(Bundle b) {
        DeployInstaller d = deploy;
        return d == null ? b.getLocation() : d.fileOf(b);
    }

    private interface Action<T> {
        T call() throws Exception;
    }

    /** Runs with the flow bundle's loader as the thread context loader (see {@link #run}). */
    private static <T> T withLoader(ClassLoader loader, Action<T> action) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /** " (at Foo.bar(Foo.java:12))" for the first frame of the user's stack, or "". */
    /** Wax's own packages that a flow's factory calls while it builds the flow. */
    private static final List<String> BUILDER_PACKAGES = List.of("io.wax.api.", "io.wax.plan.", "io.wax.connectors.",
            "io.wax.runtime.", "java.", "jdk.", "sun.");

    /**
     * The line of the flow's own code that a build error comes from: the first frame outside Wax's
     * builders and the JDK (a builder's refusal is thrown in the api, e.g. Stream.sameScope, but
     * the line to fix is the factory's that called it).
     */
    private static String builderCaller(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (BUILDER_PACKAGES.stream().noneMatch(f.getClassName()::startsWith)) {
                return " (at " + f + ")";
            }
        }
        return userFrame(e);
    }

    private static String userFrame(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (!f.getClassName().startsWith("io.wax.runtime.guard.")) { // the exit guard: the caller is what counts
                return " (at " + f + ")";
            }
        }
        return "";
    }
}
