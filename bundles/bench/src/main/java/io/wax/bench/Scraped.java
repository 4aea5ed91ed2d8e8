package io.wax.bench;

import io.wax.api.Dataflow;
import io.wax.engine.Runner;
import io.wax.observability.internal.Monitor;
import io.wax.plan.Describe;
import io.wax.plan.Plans;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.monitor.RunFigures;
import io.wax.spi.monitor.RunningFlow;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A run with metrics on, as {@code --metrics-port} gives it, and a client reading {@code /metrics}
 * and {@code /status} every second while it runs: what metrics cost a flow.
 */
final class Scraped {
    private static final Monitor MONITOR = new Monitor();
    /** One port for every run: each new run takes it over, as in the shell. */
    private static final int PORT = freePort();
    /** Scrapes over every run, to show that scraping happened. */
    static final AtomicLong SCRAPES = new AtomicLong();

    private Scraped() {
    }

    /** Closes the metrics port: its HTTP server's dispatcher thread would keep the JVM alive. */
    static void close() {
        MONITOR.deactivate();
    }

    /** Runs {@code flow} to its end while it is scraped; returns when its last output left. */
    static long run(Dataflow flow, int workers) {
        int port = PORT;
        Flow watched = new Flow(flow, workers, port);
        MONITOR.watch(watched);
        Run run = Runner.start(flow, RunOptions.defaults().withWorkers(workers));
        watched.run = run;
        HttpClient http = HttpClient.newHttpClient();
        Thread scraper = new Thread(() -> {
            try {
                while (!run.done()) {
                    for (String path : new String[] {"/metrics", "/status"}) {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(path + " answered " + r.statusCode());
                        }
                    }
                    SCRAPES.incrementAndGet();
                    Thread.sleep(1000); // the scrape interval
                }
            } catch (InterruptedException e) {
                // the run is over
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "scraper");
        scraper.start();
        try {
            run.await();
            long end = System.nanoTime();
            watched.state = RunningFlow.State.ENDED;
            scraper.interrupt();
            scraper.join();
            return end;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the runtime tells the monitor about a run. */
    private static final class Flow implements RunningFlow {
        final Dataflow flow;
        final int workers;
        final int port;
        final long started = System.currentTimeMillis();
        volatile Run run;
        volatile State state = State.RUNNING;

        Flow(Dataflow flow, int workers, int port) {
            this.flow = flow;
            this.workers = workers;
            this.port = port;
        }

        @Override
        public String flow() {
            return "w2";
        }

        @Override
        public String getter() {
            return "w2";
        }

        @Override
        public String dataflow() {
            return Describe.json(Plans.of(flow));
        }

        @Override
        public RunFigures figures() {
            Run r = run;
            return r == null ? RunFigures.NONE : r.figures();
        }

        @Override
        public int workers() {
            return workers;
        }

        @Override
        public int processId() {
            return 0;
        }

        @Override
        public long startedMillis() {
            return started;
        }

        @Override
        public State state() {
            return state;
        }

        @Override
        public long endedMillis() {
            return 0;
        }

        @Override
        public String failure() {
            return null;
        }

        @Override
        public int metricsPort() {
            return port;
        }

        @Override
        public String metricsHost() {
            return "127.0.0.1";
        }
    }
}
