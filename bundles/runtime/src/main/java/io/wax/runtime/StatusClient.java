package io.wax.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code wax status --port P [--host H] [--watch]} and {@code wax:status}: prints the table of
 * the flow served on a metrics port ({@code /status.txt}), once or refreshed in place every second.
 */
public final class StatusClient {
    public static final String USAGE = """
            usage: wax status --port P [--host H] [--watch]
              the figures of the flow a process serves with --metrics-port P: its steps' items and
              rates, its workers' epochs, inboxes and backpressure, its sources' lag.
              --port P    the flow's --metrics-port                                  WAX_METRICS_PORT
              --host H    the host it listens on (default 127.0.0.1)                 WAX_METRICS_HOST
              --watch     refresh the table in place every second, until Ctrl-C or the process ends
            """;
    /** Moves the cursor home and clears the screen below it: the table is redrawn in place. */
    private static final String REDRAW = "\033[H\033[J";

    private final String host;
    private final int port;
    private final boolean watch;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StatusClient(String host, int port, boolean watch) {
        this.host = host;
        this.port = port;
        this.watch = watch;
    }

    /**
     * Parses the arguments after {@code status}.
     *
     * @throws UsageException for an unknown flag or a missing or malformed port
     */
    public static StatusClient parse(List<String> args, java.util.Map<String, String> env) {
        String port = env.get("WAX_METRICS_PORT");
        String host = env.getOrDefault("WAX_METRICS_HOST", RunFlags.DEFAULT_METRICS_HOST);
        boolean watch = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--watch")) {
                watch = true;
            } else if ((a.equals("--port") || a.equals("--host")) && i + 1 < args.size()) {
                if (a.equals("--port")) {
                    port = args.get(++i);
                } else {
                    host = args.get(++i);
                }
            } else if (a.startsWith("--port=")) {
                port = a.substring(7);
            } else if (a.startsWith("--host=")) {
                host = a.substring(7);
            } else if (a.equals("--port") || a.equals("--host")) {
                throw new UsageException(a + " needs a value");
            } else {
                throw new UsageException("status: unknown argument '" + a + "'");
            }
        }
        if (port == null || port.isBlank()) {
            throw new UsageException("status needs --port P: the --metrics-port of the flow to show");
        }
        int p;
        try {
            p = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--port needs a port number, got '" + port + "'");
        }
        if (p < 1 || p > 65535) {
            throw new UsageException("--port must be a port from 1 to 65535, got " + p);
        }
        if (host == null || host.isBlank()) {
            throw new UsageException("--host is empty: give the host the flow serves metrics on, e.g. 127.0.0.1");
        }
        return new StatusClient(host.strip(), p, watch);
    }

    /**
     * Prints the table (again every second with {@code --watch}, until interrupted or the port
     * closes).
     *
     * @throws WaxException when nothing answers on the port at first
     */
    public void print(PrintStream out) throws InterruptedException {
        String table = fetch();
        if (!watch) {
            out.print(table);
            out.flush();
            return;
        }
        while (true) {
            out.print(REDRAW + table);
            out.flush();
            Thread.sleep(1000); // the refresh period, not a wait for anything
            try {
                table = fetch();
            } catch (WaxException e) {
                out.println("(" + e.getMessage() + ")");
                out.flush();
                return;
            }
        }
    }

    /** Whether {@code --watch} was given. */
    public boolean watch() {
        return watch;
    }

    /**
     * The table once.
     *
     * @throws WaxException when nothing answers on the port
     */
    public String table() throws InterruptedException {
        return fetch();
    }

    private String fetch() throws InterruptedException {
        String where = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + where + "/status.txt"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 && r.statusCode() != 404) {
                throw new WaxException(where + " answered " + r.statusCode() + ": is it a Wax metrics port?");
            }
            return r.body();
        } catch (ConnectException e) {
            throw new WaxException("nothing listens on " + where + ": is a flow running with --metrics-port " + port + "?");
        } catch (IOException e) {
            throw new WaxException("cannot read the status from " + where + ": " + e.getMessage());
        }
    }
}
