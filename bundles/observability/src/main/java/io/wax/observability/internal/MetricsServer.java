package io.wax.observability.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wax.spi.monitor.RunningFlow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metrics port: the JDK's HTTP server with {@code /metrics} (Micrometer's Prometheus
 * registry), {@code /dataflow}, {@code /status}, {@code /status.txt} and the web view, about one
 * run at a time. A new run on the same port takes over; the last run stays on show after it ends.
 */
final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");

    private final String host;
    private final int port;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final ScheduledExecutorService sampler;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private RunningFlow target;
    private FlowMeters meters;
    /** The last two ticks' readings. */
    private Sample older;
    private Sample newer;

    private MetricsServer(String host, int port, HttpServer http) {
        this.host = host;
        this.port = port;
        this.http = http;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.handlers = Executors.newFixedThreadPool(2, r -> daemon(r, "wax-metrics-http-" + port));
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wax-metrics-sampler-" + port));
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
        http.start();
        sampler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Listens on {@code host:port}.
     *
     * @throws IllegalArgumentException when it cannot, with the message for the user
     */
    static MetricsServer open(String host, int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
            return new MetricsServer(host, port, http);
        } catch (BindException e) {
            throw new IllegalArgumentException("--metrics-port " + port + ": cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); choose a free port, or stop what holds this one");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--metrics-port " + port + " --metrics-host " + host + ": cannot listen there ("
                    + e + "); give an address of this machine, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** Shows {@code flow} from now on, in place of the run before. */
    synchronized void show(RunningFlow flow) {
        if (meters != null) {
            meters.remove();
            meters = null;
        }
        target = flow;
        older = null;
        newer = null;
    }

    /**
     * Every second: a reading that later ones take their rates from, so that a rate always
     * covers one to two seconds however often it is asked for.
     */
    private synchronized void tick() {
        try {
            if (target != null) {
                registerMeters();
                older = newer;
                newer = Sample.read(target, older);
            }
        } catch (RuntimeException e) {
            LOG.warn("reading the figures of a flow failed", e);
        }
    }

    /** The figures of the run on show now, with rates since a tick; null when none has run. */
    synchronized Sample sample() {
        if (target == null) {
            return null;
        }
        registerMeters();
        return Sample.read(target, older != null ? older : newer);
    }

    /** Registers the run's meters once its figures are there (the run starts after it is shown). */
    private void registerMeters() {
        if (meters == null && !target.figures().steps().isEmpty()) {
            meters = FlowMeters.register(target, registry);
        }
    }

    private synchronized void meters() {
        if (target != null) {
            registerMeters();
        }
    }

    private synchronized RunningFlow target() {
        return target;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(x, 405, "text/plain", "only GET\n");
                return;
            }
            String path = x.getRequestURI().getPath();
            switch (path) {
                case "/metrics" -> {
                    meters();
                    send(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                }
                case "/dataflow" -> {
                    RunningFlow f = target();
                    send(x, f == null ? 404 : 200, "application/json", f == null ? "{}\n" : f.dataflow());
                }
                case "/status" -> {
                    Sample s = sample();
                    send(x, s == null ? 404 : 200, "application/json", s == null ? "{}\n" : s.json());
                }
                case "/status.txt" -> {
                    Sample s = sample();
                    send(x, s == null ? 404 : 200, "text/plain; charset=utf-8",
                            s == null ? "no flow has run on this port yet\n" : StatusTable.format(s));
                }
                default -> asset(x, path);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("answering {} failed", x.getRequestURI(), e);
        }
    }

    private void asset(HttpExchange x, String path) throws IOException {
        String name = ASSETS.get(path);
        if (name == null) {
            send(x, 404, "text/plain", "not found: try /, /metrics, /dataflow or /status\n");
            return;
        }
        try (InputStream in = MetricsServer.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                send(x, 500, "text/plain", "the web view is missing from this bundle\n");
                return;
            }
            String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
            send(x, 200, type + "; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        http.stop(0);
        sampler.shutdownNow();
        handlers.shutdownNow();
        gc.close();
        registry.close();
    }
}
