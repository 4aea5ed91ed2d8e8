package io.wax.launcher;

import io.wax.runtime.DescribeArgs;
import io.wax.runtime.Getter;
import io.wax.runtime.RunArgs;
import io.wax.runtime.UsageException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/wax}: with no arguments the interactive shell, otherwise one headless command. Bad
 * command lines are rejected before the framework starts, so that they fail fast.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String HELP = """
            usage: wax                       the interactive shell (Gogo): wax:run, wax:flows, wax:describe
                   wax run GETTER [flags]    run a flow until its input ends (wax run --help)
                   wax describe GETTER [--format json|mermaid]
                   wax flows                 list the deployed flows (the jars in deploy/)
                   wax spawn GETTER -p N [run flags] [--label]   a cluster of N processes on this machine
                   wax --help
            """;

    private final Home home;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    Main(Home home, Map<String, String> env, PrintStream out, PrintStream err, InputStream in) {
        this.home = home;
        this.env = env;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public static void main(String[] args) {
        // Streams over the descriptors themselves: Gogo later replaces System.out/err with
        // per-thread streams, and flow output must reach the real stdout.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = new Main(Home.detect(), System.getenv(), out, err, new FileInputStream(FileDescriptor.in))
                .execute(List.of(args));
        out.flush();
        // Exit explicitly: a non-daemon thread left by some bundle must not keep a finished run alive.
        System.exit(code);
    }

    int execute(List<String> args) {
        if (!args.isEmpty() && List.of("-h", "--help", "help").contains(args.get(0))) {
            out.print(HELP);
            return OK;
        }
        if (!home.looksValid()) {
            err.println("wax: " + home.root() + " is not a Wax distribution (no bundle/ folder); run bin/wax from it");
            return FAILED;
        }
        if (args.isEmpty()) {
            try {
                Logging.configure(home);
            } catch (ConfigException e) {
                err.println("wax: " + e.getMessage());
                return FAILED;
            }
            return new Interactive(home, err).run();
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "run" -> run(rest);
                case "describe" -> describe(rest);
                case "flows" -> flows(rest);
                case "spawn" -> new Spawn(home, out, err).run(rest, env);
                default -> throw new UsageException("unknown command '" + args.get(0) + "'");
            };
        } catch (ConfigException e) {
            err.println("wax: " + e.getMessage());
            return FAILED;
        } catch (java.io.IOException e) {
            err.println("wax: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } catch (UsageException e) {
            err.println("wax: " + e.getMessage());
            err.print(switch (args.get(0)) {
                case "run" -> RunArgs.USAGE;
                case "describe" -> DescribeArgs.USAGE;
                case "spawn" -> Spawn.USAGE;
                default -> HELP;
            });
            return USAGE;
        }
    }

    private int run(List<String> rest) throws ConfigException {
        RunArgs a = RunArgs.parse(rest, env);
        if (a.help()) {
            out.print(RunArgs.USAGE);
            return OK;
        }
        Getter.parse(a.getter()); // a malformed getter is a bad command line: exit 2, before booting
        String unavailable = a.flags().unavailable();
        if (unavailable != null) {
            err.println("wax: " + unavailable);
            return FAILED;
        }
        return headless().run(a.getter(), a.flags(), out, in);
    }

    private int flows(List<String> rest) throws ConfigException {
        if (!rest.isEmpty()) {
            throw new UsageException("flows takes no arguments, got " + String.join(" ", rest));
        }
        return headless().flows(out);
    }

    private int describe(List<String> rest) throws ConfigException {
        DescribeArgs a = DescribeArgs.parse(rest);
        if (a.help()) {
            out.print(DescribeArgs.USAGE);
            return OK;
        }
        Getter.parse(a.getter());
        return headless().describe(a.getter(), a.format(), out);
    }

    private Headless headless() throws ConfigException {
        Logging.configure(home);
        return new Headless(home, err);
    }
}
