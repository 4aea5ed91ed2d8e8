package io.wax.launcher;

import io.wax.runtime.DescribeArgs;
import io.wax.runtime.Getter;
import io.wax.runtime.RunArgs;
import io.wax.runtime.StatusClient;
import io.wax.runtime.WaxException;
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

    static final String RECOVERY_USAGE = """
            usage: wax recovery init DIR N [--force]   create N partitions (DIR/part-0 ..) for wax run -r DIR;
                                                       N is fixed for the store's life; --force uses an
                                                       existing empty DIR
                   wax recovery info DIR               partitions, executions, resume epoch, worker count, size
            """;

    static final String FLOWS_USAGE = """
            usage: wax flows
              lists the deployed flows (the jars in deploy/): each flow's name, parameters and bundle,
              and the jars or bundles that have a problem, with the reason.
            """;

    static final String HELP = """
            usage: wax                       the interactive shell (Gogo): wax:run, wax:flows, wax:describe
                   wax run GETTER [flags]    run a flow until its input ends (wax run --help)
                   wax describe GETTER [--format json|mermaid]
                   wax flows                 list the deployed flows (the jars in deploy/)
                   wax status --port P [--watch]   the figures of a flow run with --metrics-port P
                   wax recovery init DIR N [--force]   create a recovery store of N partitions for -r DIR
                   wax recovery info DIR     a recovery store's partitions, executions and resume epoch
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
        String usage = usage(args.get(0));
        if (usage != null && (rest.contains("-h") || rest.contains("--help"))) {
            out.print(usage); // whatever else is given: a user asking for help gets it
            return OK;
        }
        try {
            return switch (args.get(0)) {
                case "run" -> run(rest);
                case "describe" -> describe(rest);
                case "flows" -> flows(rest);
                case "status" -> status(rest);
                case "recovery" -> recovery(rest);
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
            err.print(usage != null ? usage : HELP);
            return USAGE;
        }
    }

    /** A command's usage, printed for -h/--help and after a bad command line; null for an unknown command. */
    private static String usage(String command) {
        return switch (command) {
            case "run" -> RunArgs.USAGE;
            case "describe" -> DescribeArgs.USAGE;
            case "flows" -> FLOWS_USAGE;
            case "status" -> StatusClient.USAGE;
            case "recovery" -> RECOVERY_USAGE;
            case "spawn" -> Spawn.USAGE;
            default -> null;
        };
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

    /** Asks another process's metrics port over HTTP: no framework to boot. */
    private int status(List<String> rest) {
        StatusClient client = StatusClient.parse(rest, env);
        try {
            client.print(out);
            return OK;
        } catch (WaxException e) {
            err.println("wax: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            return OK;
        }
    }

    private int recovery(List<String> rest) throws ConfigException {
        if (rest.isEmpty()) {
            throw new UsageException("recovery needs init or info");
        }
        List<String> args = new java.util.ArrayList<>(rest.subList(1, rest.size()));
        boolean force = args.remove("--force");
        switch (rest.get(0)) {
            case "init" -> {
                if (args.size() != 2) {
                    throw new UsageException("recovery init needs a directory and a partition count, e.g. wax recovery init state 4");
                }
                int n;
                try {
                    n = Integer.parseInt(args.get(1).strip());
                } catch (NumberFormatException e) {
                    throw new UsageException("recovery init needs a whole number of partitions, got '" + args.get(1) + "'");
                }
                if (n < 1) {
                    throw new UsageException("recovery init needs at least 1 partition, got " + n);
                }
                return headless().recovery(rt -> rt.recoveryInit(args.get(0), n, force), out);
            }
            case "info" -> {
                if (args.size() != 1 || force) {
                    throw new UsageException("recovery info needs one directory, e.g. wax recovery info state");
                }
                return headless().recovery(rt -> rt.recoveryInfo(args.get(0)), out);
            }
            default -> throw new UsageException("unknown recovery command '" + rest.get(0) + "': use init or info");
        }
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
