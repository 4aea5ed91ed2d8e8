package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A running flow seen from outside: {@code --metrics-port} serves {@code /metrics} (checked with the
 * Prometheus project's own Python parser), {@code /dataflow}, {@code /status}; {@code bin/wax status}
 * and {@code wax:status} print its table, in the shell also refreshed in place with {@code --watch};
 * without the flag nothing listens.
 */
public class ObservabilityTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Debian's python3 with python3-prometheus-client (.ci/run installs it). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static Path home;

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("faulty"), home.resolve("deploy/faulty.jar"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The body of {@code GET path}, or null when nothing listens or the answer is not 200. */
    static String get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Parses Prometheus text with {@code prometheus_client.parser}; fails if it does not parse.
     * Keys are {@code name{label=value,...}} with labels sorted.
     */
    static Map<String, Double> parse(String text) throws Exception {
        String script = "import sys\n"
                + "from prometheus_client.parser import text_string_to_metric_families\n"
                + "for f in text_string_to_metric_families(sys.stdin.read()):\n"
                + "    for s in f.samples:\n"
                + "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))\n"
                + "        print(s.name + '{' + labels + '}\\t' + repr(float(s.value)))\n";
        Process p = new ProcessBuilder(PYTHON, "-c", script).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the parser did not finish", p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("prometheus_client could not parse /metrics: " + err + "\n" + text, 0, p.exitValue());
        Map<String, Double> samples = new HashMap<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                String[] kv = line.split("\t");
                samples.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        return samples;
    }

    /** The sum of the samples named {@code name} whose labels include {@code label}. */
    static double sum(Map<String, Double> samples, String name, String label) {
        double total = 0;
        boolean any = false;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(name + "{") && (k.contains("{" + label + ",") || k.contains("," + label + ",")
                    || k.contains("," + label + "}") || k.contains("{" + label + "}"))) {
                total += e.getValue();
                any = true;
            }
        }
        assertTrue("no sample " + name + " with " + label + " in " + samples.keySet(), any);
        return total;
    }

    private static long wordLines(WaxProcess p) {
        return p.outLines().stream().filter(l -> l.matches("[ab] \\d+")).count();
    }

    @Test
    public void metricsCountTheItemsDuringAndAfterARunInTheShell() throws Exception {
        int port = freePort();
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("wax:run wordcount -w2 --metrics-port " + port + "\n");
            for (int i = 0; i < 5; i++) {
                shell.send("a b\n");
            }
            Await.until(TIMEOUT, () -> wordLines(shell) == 10, shell::out);
            Map<String, Double> during = parse(get(port, "/metrics"));
            assertEquals(5.0, sum(during, "wax_step_items_out_total", "step=wordcount.inp"), 0);
            assertEquals(10.0, sum(during, "wax_step_items_in_total", "step=wordcount.out"), 0);
            assertEquals(1.0, sum(during, "wax_flow_running", "flow=wordcount"), 0);
            // The worker with the stdin partition has an epoch open; the other's input ended at once (-1).
            assertTrue(during.toString(), during.entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith("wax_worker_epoch{") && e.getValue() >= 1));
            assertTrue(sum(during, "wax_step_batch_seconds_count", "step=wordcount.out") >= 1);
            assertTrue("JVM figures", during.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")));
            assertTrue("process figures", during.keySet().stream().anyMatch(k -> k.startsWith("process_uptime_seconds{")));
            String status = get(port, "/status");
            assertTrue(status, status.contains("\"state\": \"running\"") && status.contains("\"flow\": \"wordcount\""));

            shell.send("b a\n\u0004");
            Await.until(TIMEOUT, () -> wordLines(shell) == 12 && shell.out().endsWith(ShellTest.PROMPT), shell::out);
            Map<String, Double> after = parse(get(port, "/metrics"));
            assertEquals(6.0, sum(after, "wax_step_items_out_total", "step=wordcount.inp"), 0);
            assertEquals(12.0, sum(after, "wax_step_items_in_total", "step=wordcount.out"), 0);
            assertEquals(0.0, sum(after, "wax_flow_running", "flow=wordcount"), 0);
            status = get(port, "/status");
            assertTrue(status, status.contains("\"state\": \"ended\""));

            // A failed run says so, on the same port.
            shell.send("wax:run boom --metrics-port " + port + "\n");
            Await.until(TIMEOUT, () -> String.valueOf(get(port, "/status")).contains("\"state\": \"failed\""),
                    () -> get(port, "/status") + shell.out() + shell.err());
            assertTrue(get(port, "/status"), get(port, "/status").contains("two is not allowed"));
            Await.until(TIMEOUT, () -> shell.out().endsWith(ShellTest.PROMPT), shell::out);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
        assertClosed(port);
    }

    @Test
    public void dataflowIsDescribeAndStatusPrintsTheRunningFlow() throws Exception {
        int port = freePort();
        WaxProcess describe = WaxProcess.run(home, Map.of(), "", "describe", "wordcount", "--format", "json");
        assertEquals(describe.err(), 0, describe.exitCode());
        try (WaxProcess run = WaxProcess.start(home, Map.of("WAX_METRICS_PORT", Integer.toString(port)), "run", "wordcount")) {
            run.send("a b\n");
            Await.until(TIMEOUT, () -> wordLines(run) == 2, () -> run.out() + run.err());
            assertEquals(describe.out(), get(port, "/dataflow"));

            WaxProcess status = WaxProcess.run(home, Map.of(), "", "status", "--port", Integer.toString(port));
            assertEquals(status.err(), 0, status.exitCode());
            assertTrue(status.out(), status.out().startsWith("flow wordcount  running"));
            assertTrue(status.out(), status.out().contains("wordcount.out"));
            assertTrue(status.out(), status.out().contains("WORKER"));

            try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
                shell.send("wax:status --port " + port + "\n");
                Await.until(TIMEOUT, () -> shell.out().contains("wordcount.out"), shell::out);
                assertTrue(shell.out(), shell.out().contains("flow wordcount  running"));
                shell.send("exit\n");
                assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
            }
            run.closeInput();
            assertEquals(run.err(), 0, run.exitCode(TIMEOUT));
        }
        assertClosed(port);
        WaxProcess gone = WaxProcess.run(home, Map.of(), "", "status", "--port", Integer.toString(port));
        assertEquals(1, gone.exitCode());
        assertTrue(gone.err(), gone.err().contains("nothing listens on 127.0.0.1:" + port));
    }

    /** What {@code wax:status --watch} draws before each table: cursor home, clear the screen below. */
    private static final String REDRAW = "\033[H\033[J";

    /** The tables a watch has drawn so far, oldest first. */
    private static List<String> tables(String out) {
        List<String> tables = new java.util.ArrayList<>(List.of(out.split(java.util.regex.Pattern.quote(REDRAW), -1)));
        tables.remove(0); // what the shell printed before the first redraw
        return tables;
    }

    /** The IN column of {@code step}'s row in {@code table}, or -1 when the row is not there (yet). */
    private static long itemsIn(String table, String step) {
        for (String line : table.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 5 && cols[0].equals(step)) {
                return Long.parseLong(cols[1]);
            }
        }
        return -1;
    }

    @Test
    public void statusWatchInTheShellRedrawsTheTableInPlaceUntilTheFlowsProcessEnds() throws Exception {
        int port = freePort();
        try (WaxProcess run = WaxProcess.start(home, Map.of("WAX_METRICS_PORT", Integer.toString(port)), "run", "wordcount");
             WaxProcess shell = WaxProcess.start(home, Map.of())) {
            run.send("a b\n");
            Await.until(TIMEOUT, () -> wordLines(run) == 2, () -> run.out() + run.err());
            shell.send("wax:status --port " + port + " --watch\n");
            Await.until(TIMEOUT, () -> tables(shell.out()).size() >= 2, shell::out);
            String first = tables(shell.out()).get(0);
            assertTrue(first, first.startsWith("flow wordcount  running"));
            assertEquals(first, 1, itemsIn(first, "wordcount.inp"));

            // A line read after the watch began shows in a later table, redrawn in place.
            run.send("a a a\n");
            Await.until(TIMEOUT, () -> wordLines(run) == 5, () -> run.out() + run.err());
            Await.until(TIMEOUT, () -> {
                List<String> t = tables(shell.out());
                return itemsIn(t.get(t.size() - 1), "wordcount.inp") == 2;
            }, shell::out);

            // The flow's process ends, its port closes: the watch says so and gives the prompt back.
            run.closeInput();
            assertEquals(run.err(), 0, run.exitCode(TIMEOUT));
            Await.until(TIMEOUT, () -> shell.out().endsWith(ShellTest.PROMPT), shell::out);
            String last = tables(shell.out()).get(tables(shell.out()).size() - 1);
            assertTrue(last, last.matches("(?s).*\\((nothing listens on|cannot read the status from) 127\\.0\\.0\\.1:" + port
                    + ".*"));
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
        assertClosed(port);
    }

    @Test
    public void withMetricsOffThePortIsClosed() throws Exception {
        int port = freePort();
        try (WaxProcess run = WaxProcess.start(home, Map.of(), "run", "wordcount")) {
            run.send("a b\n");
            Await.until(TIMEOUT, () -> wordLines(run) == 2, () -> run.out() + run.err());
            assertClosed(port);
            run.closeInput();
            assertEquals(run.err(), 0, run.exitCode(TIMEOUT));
        }
    }

    @Test
    public void badMetricsFlagsAreRefused() throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of(), "", "run", "simple", "--metrics-port", "70000");
        assertEquals(p.err(), 2, p.exitCode());
        assertTrue(p.err(), p.err().startsWith("wax: --metrics-port must be a port from 1 to 65535, got 70000"));
        p = WaxProcess.run(home, Map.of("WAX_METRICS_PORT", "http"), "", "run", "simple");
        assertEquals(p.err(), 2, p.exitCode());
        assertTrue(p.err(), p.err().startsWith("wax: WAX_METRICS_PORT needs a whole number, got 'http'"));
        p = WaxProcess.run(home, Map.of(), "", "run", "simple", "--metrics-host", "0.0.0.0");
        assertEquals(p.err(), 2, p.exitCode());
        assertTrue(p.err(), p.err().startsWith("wax: --metrics-host requires --metrics-port"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            p = WaxProcess.run(home, Map.of(), "", "run", "simple", "--metrics-port", Integer.toString(port));
            assertEquals(p.err(), 1, p.exitCode());
            assertTrue(p.err(), p.err().startsWith("wax: --metrics-port " + port + ": cannot listen on 127.0.0.1:" + port));
            assertEquals("nothing ran", "", p.out());
        }
        p = WaxProcess.run(home, Map.of(), "", "status");
        assertEquals(p.err(), 2, p.exitCode());
        assertTrue(p.err(), p.err().startsWith("wax: status needs --port P"));
    }

    /**
     * With {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, epoch closes reach an OTLP/HTTP receiver (here a
     * stand-in that keeps what is posted to {@code /v1/traces}) as spans.
     */
    @Test
    public void epochClosesAreExportedAsSpansToTheOtlpEndpoint() throws Exception {
        java.util.List<byte[]> posts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/v1/traces", x -> {
            try (x) {
                posts.add(x.getRequestBody().readAllBytes());
                x.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        try {
            String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
            WaxProcess p = WaxProcess.run(home, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), "", "run", "simple", "-w2");
            assertEquals(p.err(), 0, p.exitCode());
            assertEquals(List.of("1", "2", "3"), p.outLines().stream().sorted().toList());
            // The SDK exports its batch when the process stops, before it exits.
            assertTrue("no spans were posted", !posts.isEmpty());
            String body = new String(posts.stream().reduce(new byte[0], ObservabilityTest::concat), StandardCharsets.ISO_8859_1);
            assertTrue(body, body.contains("epoch") && body.contains("wax.epoch") && body.contains("wax.flow")
                    && body.contains("simple"));
        } finally {
            receiver.stop(0);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static void assertClosed(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            fail("something listens on port " + port);
        } catch (ConnectException expected) {
            // closed, as it should be
        } catch (IOException e) {
            fail("port " + port + ": " + e);
        }
    }
}
