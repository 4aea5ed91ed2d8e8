package io.wax.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wax.runtime.DescribeArgs;
import io.wax.runtime.FlowTable;
import io.wax.runtime.RunArgs;
import io.wax.runtime.UsageException;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code wax:} commands of the Gogo shell. Flags are parsed by the same {@link RunArgs} as
 * {@code bin/wax run}, since Gogo's own option parsing does not take the attached form
 * {@code -w3}. A flow prints to the session's console and reads the session's keyboard. Errors
 * print as one line (plus usage for a bad command line) instead of a stack trace.
 */
@Component(service = WaxCommands.class, property = {
        "osgi.command.scope=wax",
        "osgi.command.function=run",
        "osgi.command.function=flows",
        "osgi.command.function=describe",
        "osgi.command.function=names"})
public final class WaxCommands {
    private final WaxRuntime runtime;
    private final Map<String, String> env;

    @Activate
    public WaxCommands(@Reference WaxRuntime runtime) {
        this(runtime, System.getenv());
    }

    WaxCommands(WaxRuntime runtime, Map<String, String> env) {
        this.runtime = runtime;
        this.env = env;
    }

    @Descriptor("run a flow until its input ends: wax:run GETTER [-w N] [--epoch-interval D] ... (wax:run --help)")
    public void run(CommandSession session, @Descriptor("flow getter and flags") String[] args) {
        InputStream in = stdin(session);
        try {
            PrintStream console = new PrintStream(new InterruptSafeOutput(session.getConsole()), false, UTF_8);
            run(List.of(args), console, in, System.err);
        } finally {
            try {
                in.close();
            } catch (java.io.IOException e) {
                // a view of the keyboard: closing it cannot fail in a way that matters
            }
        }
    }

    @Descriptor("list the deployed flows, with their bundles and problems")
    public void flows(CommandSession session) {
        session.getConsole().print(FlowTable.format(runtime.flows()));
        session.getConsole().flush();
    }

    @Descriptor("the names of the runnable flows (what tab completion offers after wax:run)")
    public List<String> names() {
        return runtime.flows().stream().filter(f -> f.runnable()).map(f -> f.name()).toList();
    }

    @Descriptor("print a flow's steps: wax:describe GETTER [--format json|mermaid]")
    public void describe(CommandSession session, @Descriptor("flow getter and --format") String[] args) {
        describe(List.of(args), session.getConsole(), System.err);
    }

    /**
     * The run's stdin: the keyboard, read in a way that a stopped run's reader can let go of
     * ({@link TerminalInput} on a real terminal, {@link KeyboardInput} otherwise).
     */
    private static InputStream stdin(CommandSession session) {
        InputStream raw = JLineKeys.terminalInput(session.get(".terminal"));
        return raw != null ? raw : new KeyboardInput(session.getKeyboard());
    }

    void run(List<String> args, PrintStream out, InputStream in, PrintStream err) {
        try {
            RunArgs a = RunArgs.parse(args, env);
            if (a.help()) {
                out.print(RunArgs.USAGE.replace("wax run", "wax:run"));
                return;
            }
            runtime.run(a.getter(), a.flags(), out, in);
        } catch (UsageException e) {
            err.println("wax:run: " + e.getMessage());
            err.print(RunArgs.USAGE.replace("wax run", "wax:run"));
        } catch (WaxException e) {
            // A run stopped by Ctrl-C leaves this thread interrupted; writing to the session's
            // streams while interrupted would close them for good, so clear it before printing.
            Thread.interrupted();
            err.println("wax:run: " + e.getMessage());
        } finally {
            Thread.interrupted();
            out.flush();
        }
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
