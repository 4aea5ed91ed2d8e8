package io.wax.launcher;

import io.wax.runtime.RunArgs;
import io.wax.runtime.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * {@code bin/wax spawn GETTER -p N [run flags] [--label]}: Bytewax's local test-cluster helper. It
 * starts N {@code bin/wax run} processes on free loopback ports with {@code -i}/{@code -a}, passes
 * SIGTERM, SIGHUP and SIGINT on to them, and exits with the first non-zero exit code (or 0). They
 * share its stdin: only the process whose worker owns a stdin partition reads it.
 */
final class Spawn {
    static final String USAGE = """
            usage: wax spawn GETTER -p N [--label] [run flags]
              starts N processes of one cluster on this machine (free loopback ports), each
              'wax run GETTER -i I -a ... [run flags]'; --label prefixes each output line with [I].
              Exits with the first non-zero exit code of the processes, or 0.
            """;
    static final int MAX_PROCESSES = 64;

    private final Home home;
    private final PrintStream out;
    private final PrintStream err;

    Spawn(Home home, PrintStream out, PrintStream err) {
        this.home = home;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        int processes = -1;
        boolean label = false;
        List<String> runArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--label")) {
                label = true;
            } else if (a.equals("-p") || a.equals("--processes")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a value, e.g. -p 3");
                }
                processes = count(args.get(++i));
            } else if (a.startsWith("-p") && !a.startsWith("--")) {
                processes = count(a.substring(2));
            } else {
                runArgs.add(a);
            }
        }
        if (processes < 0) {
            throw new UsageException("how many processes? give -p N, e.g. wax spawn simple -p 2");
        }
        // Checked as 'run' checks them, with a cluster of the given size (spawn gives -i and -a itself).
        RunArgs parsed = RunArgs.parse(runArgs, Map.of());
        if (parsed.flags().clustered() || runArgs.stream().anyMatch(x -> x.startsWith("-a") || x.startsWith("--addresses"))) {
            throw new UsageException("spawn gives every process its -i and -a itself: leave them out");
        }
        if (parsed.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        String addresses = freeAddresses(processes);
        List<Process> children = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            List<String> cmd = new ArrayList<>(List.of(home.root().resolve("bin/wax").toString(), "run"));
            cmd.addAll(runArgs);
            cmd.addAll(List.of("-i", Integer.toString(p), "-a", addresses));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("WAX_PROCESS_ID");
            pb.environment().remove("WAX_ADDRESSES");
            if (!label) {
                pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            }
            Process c = pb.start();
            children.add(c);
            if (label) {
                pumps.add(pump(c.getInputStream(), out, "[" + p + "] "));
                pumps.add(pump(c.getErrorStream(), err, "[" + p + "] "));
            }
        }
        forwardSignals(children);
        int first = Main.OK;
        List<Process> left = new ArrayList<>(children);
        while (!left.isEmpty()) {
            for (Process c : List.copyOf(left)) {
                if (c.waitFor(50, TimeUnit.MILLISECONDS)) {
                    left.remove(c);
                    if (first == Main.OK && c.exitValue() != 0) {
                        first = c.exitValue();
                    }
                }
            }
        }
        for (Thread t : pumps) {
            t.join();
        }
        out.flush();
        return first;
    }

    private static int count(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 1 || n > MAX_PROCESSES) {
                throw new UsageException("-p must be between 1 and " + MAX_PROCESSES + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("-p needs a whole number of processes, got '" + text + "'");
        }
    }

    /** Free ports on loopback, just now: a process that loses one to a race fails and names it. */
    private static String freeAddresses(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                out.add("127.0.0.1:" + s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return String.join(";", out);
    }

    private static Thread pump(InputStream in, PrintStream to, String prefix) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "wax-spawn-pump");
        t.start();
        return t;
    }

    /** The signals bin/wax handles, passed on to every process (each then stops as a headless run does). */
    private static void forwardSignals(List<Process> children) {
        for (String name : List.of("TERM", "HUP", "INT")) {
            try {
                Signal.handle(new Signal(name), s -> {
                    for (Process c : children) {
                        if (c.isAlive()) {
                            try {
                                new ProcessBuilder("kill", "-" + name, Long.toString(c.pid())).start();
                            } catch (IOException e) {
                                c.destroy();
                            }
                        }
                    }
                });
            } catch (IllegalArgumentException e) {
                // not available here
            }
        }
    }
}
