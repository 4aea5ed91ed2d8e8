package io.wax.observability.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.Runner;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The monitor in plain Java: a run's figures on its metrics port, and a taken port refused. */
class MonitorTest {
    /** A run as the runtime describes it to the monitor. */
    static final class Flow implements RunningFlow {
        final Dataflow flow;
        final int port;
        volatile Run run;
        volatile State state = State.RUNNING;

        Flow(Dataflow flow, int port) {
            this.flow = flow;
            this.port = port;
        }

        public String flow() {
            return flow.id();
        }

        public String getter() {
            return flow.id();
        }

        public String dataflow() {
            return Describe.json(Plans.of(flow));
        }

        public RunFigures figures() {
            Run r = run;
            return r == null ? RunFigures.NONE : r.figures();
        }

        public int workers() {
            return 2;
        }

        public int processId() {
            return 0;
        }

        public long startedMillis() {
            return 0;
        }

        public State state() {
            return state;
        }

        public long endedMillis() {
            return 0;
        }

        public String failure() {
            return null;
        }

        public int metricsPort() {
            return port;
        }

        public String metricsHost() {
            return "127.0.0.1";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    @Test
    void servesTheFiguresOfARunAfterItEnds() throws Exception {
        Dataflow flow = new Dataflow("mon");
        flow.input("inp", new TestingSource<Integer>(IntStream.range(0, 300).boxed().toList()))
                .filter("odd", x -> x % 2 == 1).output("out", new TestingSink<>());
        int port = freePort();
        Flow f = new Flow(flow, port);
        Monitor m = new Monitor();
        try {
            m.watch(f);
            f.run = Runner.start(flow, RunOptions.defaults().withWorkers(2));
            f.run.await();
            f.state = RunningFlow.State.ENDED;
            String metrics = get(port, "/metrics");
            assertTrue(metrics.contains("wax_step_items_in_total{flow=\"mon\",process=\"0\",step=\"mon.out\",worker=\"0\"}"), metrics);
            long out = metrics.lines().filter(l -> l.startsWith("wax_step_items_in_total{") && l.contains("step=\"mon.out\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertEquals(150, out);
            assertTrue(metrics.contains("wax_flow_running{flow=\"mon\",process=\"0\"} 0"), metrics);
            assertTrue(metrics.contains("jvm_threads_live_threads"), metrics);
            assertEquals(f.dataflow(), get(port, "/dataflow"));
            String status = get(port, "/status");
            assertTrue(status.contains("\"state\": \"ended\""), status);
            assertTrue(status.contains("{\"id\": \"mon.out\", \"itemsIn\": 150"), status);
            assertTrue(get(port, "/").contains("<svg id=\"graph\""));
            assertTrue(get(port, "/status.txt").startsWith("flow mon  ended"));
            assertTrue(m.status().startsWith("flow mon  ended"), m.status());

            Flow other = new Flow(flow, port);
            other.state = RunningFlow.State.FAILED;
            m.watch(other);
            assertTrue(get(port, "/status").contains("\"state\": \"failed\""), "a new run on the port takes it over");
        } finally {
            m.deactivate();
        }
        assertThrows(java.net.ConnectException.class, () -> get(port, "/metrics"), "closed with the component");
    }

    @Test
    void aTakenPortIsRefusedWithWhatToDo() throws Exception {
        Monitor m = new Monitor();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.watch(new Flow(new Dataflow("x"), port)));
            assertTrue(e.getMessage().startsWith("--metrics-port " + port + ": cannot listen on 127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().endsWith("choose a free port, or stop what holds this one"), e.getMessage());
        } finally {
            m.deactivate();
        }
    }
}
