package io.wax.observability.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.spi.monitor.PartitionLag;
import io.wax.spi.monitor.PeerTraffic;
import io.wax.spi.monitor.RunFigures;
import io.wax.spi.monitor.RunningFlow;
import io.wax.spi.monitor.StepFigures;
import io.wax.spi.monitor.WorkerFigures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reading's rates, in particular in a run's first second, before any earlier reading exists. */
class SampleTest {
    /** One step that has taken in {@code in} items and emitted {@code out}, in a run started at {@code started}. */
    private static RunningFlow flow(long started, long in, long out) {
        return flow(started, in, out, java.util.Map.of());
    }

    /** As {@link #flow(long, long, long)}, running on these builds. */
    private static RunningFlow flow(long started, long in, long out, java.util.Map<String, String> builds) {
        StepFigures step = new StepFigures() {
            public String step() {
                return "f.count";
            }

            public int worker() {
                return 0;
            }

            public long itemsIn() {
                return in;
            }

            public long itemsOut() {
                return out;
            }

            public long batches() {
                return 1;
            }

            public long batchNanos() {
                return 1;
            }

            public long[] batchTimes() {
                return new long[StepFigures.BATCH_BUCKETS_NANOS.length + 1];
            }
        };
        RunFigures figures = new RunFigures() {
            public List<StepFigures> steps() {
                return List.of(step);
            }

            public List<WorkerFigures> workers() {
                return List.of();
            }

            public List<PartitionLag> lags() {
                return List.of();
            }

            public List<PeerTraffic> peers() {
                return List.of();
            }
        };
        return new RunningFlow() {
            public String flow() {
                return "f";
            }

            public String getter() {
                return "f";
            }

            public String dataflow() {
                return "{}";
            }

            public RunFigures figures() {
                return figures;
            }

            public int workers() {
                return 1;
            }

            public int processId() {
                return 0;
            }

            public long startedMillis() {
                return started;
            }

            public State state() {
                return State.RUNNING;
            }

            public long endedMillis() {
                return 0;
            }

            public String failure() {
                return null;
            }

            public int metricsPort() {
                return 0;
            }

            public String metricsHost() {
                return "127.0.0.1";
            }

            public java.util.Map<String, String> builds() {
                return builds;
            }
        };
    }

    @Test
    void withNoReadingBeforeRatesCountFromTheRunsStart() {
        long started = System.currentTimeMillis() - 500;
        Sample s = Sample.read(flow(started, 1000, 400), null);
        Sample.Step step = s.steps().get(0);
        // 1,000 items in at least half a second since the start: at most 2,000/s, and not 0 as it was.
        assertTrue(step.inPerSecond() > 0 && step.inPerSecond() <= 2000, "in/s " + step.inPerSecond());
        assertTrue(step.outPerSecond() > 0 && step.outPerSecond() <= 800, "out/s " + step.outPerSecond());
        assertEquals(step.inPerSecond() * 0.4, step.outPerSecond(), 1e-9);
    }

    @Test
    void withAReadingBeforeRatesCountFromIt() {
        long started = System.currentTimeMillis() - 60_000;
        Sample before = Sample.read(flow(started, 1000, 1000), null);
        Sample after = new Sample(before.flow(), before.atMillis() - 2000, before.state(), before.steps(), before.workers(),
                before.lags());
        Sample now = Sample.read(flow(started, 3000, 1000), after);
        Sample.Step step = now.steps().get(0);
        // 2,000 more items in at least 2 s: at most 1,000/s; nothing more out.
        assertTrue(step.inPerSecond() > 500 && step.inPerSecond() <= 1000, "in/s " + step.inPerSecond());
        assertEquals(0.0, step.outPerSecond());
    }

    @Test
    void statusNamesTheBuildOfEachProviderTheRunRunsOn() {
        java.util.Map<String, String> builds = new java.util.LinkedHashMap<>();
        builds.put("engine", "io.wax.engine 0.1.0 build e-2");
        builds.put("connectors", "io.wax.connectors.kafka 0.1.0 built 2026-12-07T02:52:18Z");
        Sample s = Sample.read(flow(System.currentTimeMillis(), 1, 1, builds), null);
        String json = s.json();
        assertTrue(json.contains("\"builds\": {\"engine\": \"io.wax.engine 0.1.0 build e-2\", "
                + "\"connectors\": \"io.wax.connectors.kafka 0.1.0 built 2026-12-07T02:52:18Z\"}, \"process\": 0"), json);
        String table = StatusTable.format(s);
        assertTrue(table.lines().anyMatch(l -> l.equals("builds: engine io.wax.engine 0.1.0 build e-2, "
                + "connectors io.wax.connectors.kafka 0.1.0 built 2026-12-07T02:52:18Z")), table);
        // A run that has not started yet names none.
        Sample none = Sample.read(flow(System.currentTimeMillis(), 1, 1), null);
        assertTrue(none.json().contains("\"builds\": {}, "), none.json());
        assertTrue(StatusTable.format(none).lines().noneMatch(l -> l.startsWith("builds:")), StatusTable.format(none));
    }
}
