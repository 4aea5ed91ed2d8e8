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

    @Activate
    public FlowRegistry(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.scr = scr;
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
     * the runtime. A run keeps the engine it started with.
     */
    private volatile Engine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(Engine e) {
        LOG.info("the Wax engine is available");
        engine = e;
    }

    void unbindEngine(Engine e) {
        if (engine == e) {
            engine = null;
            LOG.info("the Wax engine is gone");
        }
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
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RecoveryStores recoveryStores;

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
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(transport=grpc)")
    private volatile Transport transport;

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
    }

    void removeFlow(ComponentServiceObjects<FlowFactory> flow) {
        ServiceReference<FlowFactory> ref = flow.getServiceReference();
        Registration r = registrations.remove(ref);
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
        RunOptions options = RunOptions.defaults().withWorkers(flags.workers())
                .withEpochInterval(flags.epochInterval()).withStdio(out, in);
        DurableStore store = null;
        if (flags.recoveryDirectory() != null) {
            store = Recovery.open(recoveryStores, flags, plan);
            options = options.withRecovery(store).withSnapshotInterval(flags.snapshotInterval());
        }
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
                options = options.withEvents(m.events());
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader old = thread.getContextClassLoader();
        // Worker threads inherit the context loader: libraries inside flows find resources through it.
        thread.setContextClassLoader(built.loader());
        running.add(thread);
        Links links = null;
        try {
            Engine e = engine;
            if (e == null) {
                throw new WaxException("no engine: the Wax engine bundle (io.wax.engine) is not active, so flow '"
                        + getter.name() + "' cannot run; start it again (in the shell: lb engine, then start ID)");
            }
            if (flags.clustered()) {
                links = Clusters.join(transport, getter, built.version(), plan, flags);
                options = options.withCluster(links);
            }
            Run run;
            try {
                run = e.start(plan, options);
            } catch (IllegalArgumentException x) {
                // The engine's checks at run start (no input, no output) name the flow already.
                throw new WaxException(x.getMessage(), x);
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
                    String late = Clusters.finish(links);
                    await(run); // a peer's failure report, with its step, worker and epoch, wins
                    if (late != null) {
                        throw new WaxException("flow '" + getter.name() + "' stopped: " + late);
                    }
                }
            } finally {
                control.unbind();
            }
            if (run.stoppedAfter() >= 0) {
                LOG.info("flow '{}' stopped after epoch {}", getter.name(), run.stoppedAfter());
            }
            watched.ended(run.stoppedAfter() >= 0 ? RunningFlow.State.STOPPED : RunningFlow.State.ENDED, null);
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
            if (links != null) {
                // Sends what is still queued (a failure report included) before the peers are let go.
                links.close();
            }
            if (store != null) {
                store.close();
            }
            thread.setContextClassLoader(old);
            running.remove(thread);
            synchronized (running) {
                running.notifyAll();
            }
        }
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

    private record Built(Dataflow flow, ClassLoader loader, String version) {
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
        return new Built(flow, loader, r.bundle().getVersion().toString());
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
