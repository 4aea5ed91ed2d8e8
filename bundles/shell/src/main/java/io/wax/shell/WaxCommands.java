package io.wax.shell;

import io.wax.runtime.DescribeArgs;
import io.wax.runtime.FlowTable;
import io.wax.runtime.RunArgs;
import io.wax.runtime.UsageException;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
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
        "osgi.command.function=describe"})
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
        run(List.of(args), session.getConsole(), session.getKeyboard(), System.err);
    }

    @Descriptor("list the deployed flows, with their bundles and problems")
    public void flows(CommandSession session) {
        session.getConsole().print(FlowTable.format(runtime.flows()));
        session.getConsole().flush();
    }

    @Descriptor("print a flow's steps: wax:describe GETTER [--format json|mermaid]")
    public void describe(CommandSession session, @Descriptor("flow getter and --format") String[] args) {
        describe(List.of(args), session.getConsole(), System.err);
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
            err.println("wax:run: " + e.getMessage());
        } finally {
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

    @Override
    public String toString() {
        return "wax commands " + Arrays.asList("run", "flows", "describe");
    }
}
