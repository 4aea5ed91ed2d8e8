package io.wax.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wax.runtime.DescribeArgs;
import io.wax.runtime.FlowTable;
import io.wax.runtime.Getter;
import io.wax.runtime.RunArgs;
import io.wax.runtime.RunControl;
import io.wax.runtime.UsageException;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code wax:} commands of the Gogo shell. Flags are parsed by the same {@link RunArgs} as
 * {@code bin/wax run}, since Gogo's own option parsing does not take the attached form
 * {@code -w3}. A flow prints to the session's console and reads the session's keyboard. Errors
 * print as one line (plus usage for a bad command line) instead of a stack trace, to stderr when
 * the session is not on a terminal. Every command takes any arguments, so that Gogo never answers
 * with its own "Cannot coerce" for a wrong count.
 */
// Immediate: a delayed component is deactivated each time Gogo ungets it after a command, which
// undid what wax:attach set up (warnings printed above the prompt) right after the profile ran.
@Component(service = {WaxCommands.class, BooleanSupplier.class}, immediate = true, property = {
        "wax.signal=INT",
        "osgi.command.scope=wax",
        "osgi.command.function=run",
        "osgi.command.function=start",
        "osgi.command.function=flows",
        "osgi.command.function=describe",
        "osgi.command.function=names",
        "osgi.command.function=candidates",
        "osgi.command.function=help",
        "osgi.command.function=attach",
        "osgi.command.function=profile",
        "osgi.command.function=recovery",
        "osgi.command.function=stop",
        "osgi.command.function=update"})
public final class WaxCommands implements BooleanSupplier {
    /**
     * After Ctrl-C, how long a run gets to close its epoch before it is aborted. A run that is not
     * stuck closes it in milliseconds (snapshots included); with {@link #STUCK} and the report this
     * keeps the prompt's return near 1 s, well within the 2 s promised even on a loaded machine
     * (1.5 s here made it 1.75-1.82 s).
     */
    static final Duration GRACEFUL = Duration.ofMillis(700);
    /** After the abort, how long a worker may stay in user code before it counts as stuck. */
    static final Duration STUCK = Duration.ofMillis(200);

    private final WaxRuntime runtime;
    private final Map<String, String> env;
    private final ShellSetup setup = new ShellSetup();

    @Activate
    public WaxCommands(@Reference WaxRuntime runtime) {
        this(runtime, System.getenv());
    }

    WaxCommands(WaxRuntime runtime, Map<String, String> env) {
        this.runtime = runtime;
        this.env = env;
    }

    @Deactivate
    void deactivate() {
        setup.detach();
    }

    /** The threads of the wax:run commands going on, which Ctrl-C interrupts. */
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    /** The runs of this shell by flow name, for wax:stop. */
    private final Map<String, Set<RunControl>> controls = new ConcurrentHashMap<>();

    /**
     * SIGINT to the shell's process (Ctrl-C where no terminal turns it into a key, e.g. a shell
     * driven through a pipe), called by the launcher: interrupts the runs going on, as Ctrl-C on a
     * terminal does. Whether there was one.
     */
    @Override
    public boolean getAsBoolean() {
        boolean any = false;
        for (Thread t : running) {
            t.interrupt();
            any = true;
        }
        return any;
    }

    @Descriptor("run a flow until its input ends: wax:run GETTER [-w N] [--epoch-interval D] ... (wax:run --help)")
    public void run(CommandSession session, @Descriptor("flow getter and flags") String... args) {
        InputStream in = stdin(session);
        running.add(Thread.currentThread());
        try {
            PrintStream console = new PrintStream(new InterruptSafeOutput(session.getConsole()), false, UTF_8);
            run(List.of(args), console, in, errors(session));
        } finally {
            running.remove(Thread.currentThread());
            try {
                in.close();
            } catch (java.io.IOException e) {
                // a view of the keyboard: closing it cannot fail in a way that matters
            }
        }
    }

    /**
     * A run that gives the prompt back at once, so that other commands ({@code wax:update},
     * {@code wax:status}, {@code wax:stop}) can be typed while it goes on. Gogo's own {@code &}
     * suspends a background job as soon as it touches the console, as a Unix shell stops one that
     * reads the terminal, and a flow prints there. It reads no keyboard (empty input); Ctrl-C
     * leaves it alone ({@code wax:stop FLOW} stops it); its error, if it fails, goes to stderr
     * when it ends.
     */
    @Descriptor("run a flow in the background of this shell, reading no input; wax:stop FLOW stops it: wax:start GETTER [flags] (wax:run --help)")
    public void start(CommandSession session, @Descriptor("flow getter and flags") String... args) {
        start(List.of(args), new PrintStream(new InterruptSafeOutput(session.getConsole()), true, UTF_8), errors(session));
    }

    /** The getter and flags are checked first, so that a mistake is told at once and nothing starts. */
    void start(List<String> args, PrintStream out, PrintStream err) {
        try {
            RunArgs a = RunArgs.parse(args, env);
            if (a.help()) {
                out.print(RunArgs.USAGE.replace("wax run", "wax:start"));
                return;
            }
            Getter.parse(a.getter());
        } catch (UsageException e) {
            err.println("wax:start: " + e.getMessage());
            err.print(RunArgs.USAGE.replace("wax run", "wax:start"));
            return;
        }
        String what = String.join(" ", args);
        Thread t = new Thread(() -> {
            run("wax:start", args, out, InputStream.nullInputStream(), err);
            out.println("ended in the background: " + what);
        }, "wax-start " + what);
        t.setDaemon(true); // the runtime stops its runs when it stops
        t.start();
        out.println("started in the background: " + what);
    }

    @Descriptor("update a bundle while flows run; the runs that use it resume on the new code at an epoch boundary: wax:update BUNDLE [URL|FILE]")
    public void update(CommandSession session, @Descriptor("bundle id or symbolic name, then a jar file or URL") String... args) {
        PrintStream err = errors(session);
        if (args.length < 1 || args.length > 2) {
            err.println("wax:update: give a bundle id or symbolic name, and optionally the new jar (a file or URL),"
                    + " e.g. wax:update io.wax.engine /tmp/wax-engine.jar");
            return;
        }
        try {
            session.getConsole().println(runtime.update(args[0], args.length == 2 ? args[1] : null));
        } catch (WaxException e) {
            err.println("wax:update: " + e.getMessage());
        }
    }

    @Descriptor("stop a flow running in this shell gracefully: its open epoch closes (and is snapshotted with -r), then it ends: wax:stop FLOW")
    public void stop(CommandSession session, @Descriptor("a running flow's name") String... args) {
        stop(List.of(args), session.getConsole(), errors(session));
    }

    void stop(List<String> args, PrintStream out, PrintStream err) {
        if (help(args, "stop", out)) {
            return;
        }
        if (args.size() != 1) {
            err.println("wax:stop: give the name of one running flow, e.g. wax:stop wordcount; running: " + runningNames());
            return;
        }
        Set<RunControl> runs = controls.get(args.get(0));
        if (runs == null || runs.isEmpty()) {
            err.println("wax:stop: no run of flow '" + args.get(0) + "' in this shell; running: " + runningNames());
            return;
        }
        runs.forEach(RunControl::stop);
        out.println("stopping " + args.get(0) + " at the next epoch boundary");
        out.flush();
    }

    private String runningNames() {
        List<String> names = controls.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    @Descriptor("recovery stores for wax:run -r DIR: wax:recovery init DIR N [--force] | wax:recovery info DIR")
    public void recovery(CommandSession session, @Descriptor("init DIR N [--force], or info DIR") String... args) {
        recovery(List.of(args), session.getConsole(), errors(session));
    }

    void recovery(List<String> args, PrintStream out, PrintStream err) {
        if (help(args, "recovery", out)) {
            return;
        }
        List<String> rest = new java.util.ArrayList<>(args);
        boolean force = rest.remove("--force");
        try {
            if (rest.size() == 3 && rest.get(0).equals("init")) {
                int n;
                try {
                    n = Integer.parseInt(rest.get(2).strip());
                } catch (NumberFormatException e) {
                    throw new UsageException("init needs a whole number of partitions, got '" + rest.get(2) + "'");
                }
                out.println(runtime.recoveryInit(rest.get(1), n, force));
            } else if (rest.size() == 2 && rest.get(0).equals("info") && !force) {
                out.print(runtime.recoveryInfo(rest.get(1)));
            } else {
                throw new UsageException("use wax:recovery init DIR N [--force], or wax:recovery info DIR");
            }
        } catch (WaxException e) { // and UsageException, its subclass
            err.println("wax:recovery: " + e.getMessage());
        } finally {
            out.flush();
        }
    }

    @Descriptor("list the deployed flows, with their bundles and problems")
    public void flows(CommandSession session, @Descriptor("nothing") String... args) {
        flows(List.of(args), session.getConsole(), errors(session));
    }

    void flows(List<String> args, PrintStream out, PrintStream err) {
        if (help(args, "flows", out)) {
            return;
        }
        if (!args.isEmpty()) {
            err.println("wax:flows: takes no arguments, got " + String.join(" ", args));
            return;
        }
        out.print(FlowTable.format(runtime.flows()));
        out.flush();
    }

    /** -h or --help among a command's arguments: prints its usage instead of running it. Whether it did. */
    private static boolean help(List<String> args, String command, PrintStream out) {
        if (!args.contains("-h") && !args.contains("--help")) {
            return false;
        }
        out.print(Help.of(command));
        out.flush();
        return true;
    }

    @Descriptor("the names of the runnable flows")
    public List<String> names() {
        return runtime.flows().stream().filter(f -> f.runnable()).map(f -> f.name()).toList();
    }

    @Descriptor("what tab completion offers after wax:run and wax:describe: flow names, 'name(' for a flow with parameters")
    public List<Object> candidates() {
        return Completions.of(runtime.flows());
    }

    @Descriptor("print a flow's steps: wax:describe GETTER [--format json|mermaid]")
    public void describe(CommandSession session, @Descriptor("flow getter and --format") String... args) {
        describe(List.of(args), session.getConsole(), errors(session));
    }

    @Descriptor("Wax's commands first, then every other command; help COMMAND for one")
    public void help(CommandSession session, @Descriptor("a command") String... args) throws Exception {
        PrintStream out = session.getConsole();
        if (args.length == 0) {
            out.print(Help.overview(session));
        } else if (Help.isWax(args[0])) {
            out.print(Help.of(args[0]));
        } else {
            session.execute("felix:help " + String.join(" ", args));
        }
        out.flush();
    }

    @Descriptor("set up the shell for Wax (run by etc/gosh_profile): hints for unquoted getters and unknown commands,"
            + " warnings printed above the prompt")
    public void attach(CommandSession session) {
        setup.attach(session);
    }

    @Descriptor("run etc/gosh_profile (bin/wax's shell does at its start; a command of it that fails there stops Wax"
            + " with one error naming its line)")
    public void profile(CommandSession session, @Descriptor("nothing") String... args) throws Exception {
        Profile.run(session, !profileRan.getAndSet(true));
    }

    /** Whether wax:profile has run: its first run is the shell's start. */
    private final java.util.concurrent.atomic.AtomicBoolean profileRan = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Where a command's errors go: the process's stderr when the session is not on a terminal (a
     * pipe, a script), so that a driver can tell them from output; the session's console otherwise.
     */
    static PrintStream errors(CommandSession session) {
        return System.console() == null && !ShellSetup.onTerminal(session)
                ? new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8) : session.getConsole();
    }

    /**
     * The run's stdin: the keyboard, read in a way that a stopped run's reader can let go of
     * ({@link TerminalInput} on a real terminal, {@link KeyboardInput} otherwise).
     */
    private static InputStream stdin(CommandSession session) {
        InputStream raw = JLineKeys.terminalInput(session.get(".terminal"), session.get(".reader"));
        return raw != null ? raw : new KeyboardInput(session.getKeyboard());
    }

    /**
     * Runs the flow on a thread of its own, so that Ctrl-C (which interrupts this thread) can stop
     * it in steps: gracefully first (the open epoch closes, everything computed is printed), and if
     * the run has not ended {@link #GRACEFUL} later (user code stuck), at once, reporting the stuck
     * step, worker and stack; the prompt is back within 2 s either way.
     */
    void run(List<String> args, PrintStream out, InputStream in, PrintStream err) {
        run("wax:run", args, out, in, err);
    }

    /** A run for {@code command} (wax:run, or wax:start's background thread), which prefixes its errors. */
    private void run(String command, List<String> args, PrintStream out, InputStream in, PrintStream err) {
        try {
            RunArgs a = RunArgs.parse(args, env);
            if (a.help()) {
                out.print(RunArgs.USAGE.replace("wax run", command));
                return;
            }
            String name = Getter.parse(a.getter()).name();
            RunControl control = new RunControl();
            Set<RunControl> mine = controls.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet());
            mine.add(control);
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    runtime.run(a.getter(), a.flags(), out, in, control);
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            }, "wax-run " + a.getter());
            runner.setDaemon(true);
            runner.start();
            boolean stuck;
            try {
                stuck = !await(runner, control);
            } finally {
                mine.remove(control);
            }
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
            if (stuck) {
                err.println(command + ": " + a.getter() + " did not stop and is left running");
            }
        } catch (UsageException e) {
            err.println(command + ": " + e.getMessage());
            err.print(RunArgs.USAGE.replace("wax run", command));
        } catch (WaxException e) {
            err.println(command + ": " + e.getMessage());
        } finally {
            Thread.interrupted();
            out.flush();
        }
    }

    /** Waits for the run; Ctrl-C stops it (see {@link #run}). Whether it ended. */
    private static boolean await(Thread runner, RunControl control) {
        try {
            runner.join();
            return true;
        } catch (InterruptedException e) {
            control.stop();
        }
        if (join(runner, GRACEFUL)) {
            return true;
        }
        control.abort(STUCK);
        return join(runner, STUCK.plusMillis(250)); // the engine's report, and its try to stop the thread
    }

    private static boolean join(Thread t, Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (t.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException again) {
                // a second Ctrl-C: the steps are already under way
            }
        }
        return true;
    }

    void describe(List<String> args, PrintStream out, PrintStream err) {
        try {
            DescribeArgs a = DescribeArgs.parse(args);
            if (a.help()) {
                out.print(DescribeArgs.USAGE.replace("wax describe", "wax:describe"));
                return;
            }
            out.print(runtime.describe(a.getter(), a.format()));
        } catch (UsageException e) {
            err.println("wax:describe: " + e.getMessage());
            err.print(DescribeArgs.USAGE.replace("wax describe", "wax:describe"));
        } catch (WaxException e) {
            err.println("wax:describe: " + e.getMessage());
        } finally {
            out.flush();
        }
    }
}
