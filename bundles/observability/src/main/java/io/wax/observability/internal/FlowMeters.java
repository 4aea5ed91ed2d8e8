package io.wax.observability.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.wax.spi.monitor.PartitionLag;
import io.wax.spi.monitor.PeerTraffic;
import io.wax.spi.monitor.RunningFlow;
import io.wax.spi.monitor.StepFigures;
import io.wax.spi.monitor.WorkerFigures;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's figures in a Prometheus registry: counters and gauges as Micrometer meters that read
 * the engine's figures at scrape time, and, as a collector of the Prometheus client the registry
 * is built on, what Micrometer cannot take from outside: the batch-time histograms (the engine
 * keeps their buckets), and the Kafka lags and peers, whose set is known only while running.
 */
final class FlowMeters implements MultiCollector {
    private static final double[] BOUNDS_SECONDS = bounds();
    private final RunningFlow flow;
    private final PrometheusMeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final String process;

    private FlowMeters(RunningFlow flow, PrometheusMeterRegistry registry) {
        this.flow = flow;
        this.registry = registry;
        this.process = Integer.toString(flow.processId());
    }

    /** Registers the run's meters; call once its figures are there. */
    static FlowMeters register(RunningFlow flow, PrometheusMeterRegistry registry) {
        FlowMeters m = new FlowMeters(flow, registry);
        m.add();
        return m;
    }

    private void add() {
        for (StepFigures s : flow.figures().steps()) {
            Tags t = Tags.of("flow", flow.flow(), "step", s.step(), "worker", Integer.toString(s.worker()), "process", process);
            meters.add(FunctionCounter.builder("wax.step.items.in", s, StepFigures::itemsIn).tags(t)
                    .description("items that reached the step").register(registry));
            meters.add(FunctionCounter.builder("wax.step.items.out", s, StepFigures::itemsOut).tags(t)
                    .description("items the step emitted").register(registry));
            meters.add(FunctionCounter.builder("wax.step.batches", s, StepFigures::batches).tags(t)
                    .description("batches the step processed").register(registry));
        }
        for (WorkerFigures w : flow.figures().workers()) {
            Tags t = Tags.of("flow", flow.flow(), "worker", Integer.toString(w.worker()), "process", process);
            meters.add(Gauge.builder("wax.worker.epoch", w, WorkerFigures::epoch).tags(t)
                    .description("the epoch open at the worker's inputs, -1 once they have ended").register(registry));
            meters.add(Gauge.builder("wax.worker.frontier", w, x -> frontier(x.frontier())).tags(t)
                    .description("the lowest epoch a step of the worker has not closed").register(registry));
            meters.add(Gauge.builder("wax.worker.inbox.items", w, WorkerFigures::inboxDepth).tags(t)
                    .description("items waiting in the worker's inbox").register(registry));
            meters.add(FunctionCounter.builder("wax.worker.backpressure.seconds", w, x -> x.backpressureNanos() / 1e9).tags(t)
                    .description("time the worker's inputs were held back by a full inbox").register(registry));
            meters.add(FunctionCounter.builder("wax.worker.snapshots", w, WorkerFigures::snapshots).tags(t)
                    .description("snapshot commits").register(registry));
            meters.add(FunctionCounter.builder("wax.worker.snapshot.bytes", w, WorkerFigures::snapshotBytes).tags(t)
                    .description("bytes of state snapshotted").register(registry));
            meters.add(FunctionCounter.builder("wax.worker.snapshot.seconds", w, x -> x.snapshotNanos() / 1e9).tags(t)
                    .description("time spent writing snapshots").register(registry));
        }
        Tags t = Tags.of("flow", flow.flow(), "process", process);
        meters.add(Gauge.builder("wax.flow.running", flow, f -> f.state() == RunningFlow.State.RUNNING ? 1 : 0).tags(t)
                .description("1 while the flow runs, 0 once it has ended, stopped or failed").register(registry));
        meters.add(Gauge.builder("wax.flow.failed", flow, f -> f.state() == RunningFlow.State.FAILED ? 1 : 0).tags(t)
                .description("1 once the flow has failed").register(registry));
        registry.getPrometheusRegistry().register(this);
    }

    /** A frontier at "done" as the highest value Prometheus keeps exactly, rather than 9.2e18. */
    private static double frontier(long f) {
        return f == Long.MAX_VALUE ? -1 : f;
    }

    /** Removes every meter of this run from the registry. */
    void remove() {
        registry.getPrometheusRegistry().unregister(this);
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }

    @Override
    public MetricSnapshots collect() {
        HistogramSnapshot.Builder batches = HistogramSnapshot.builder().name("wax_step_batch_seconds")
                .help("time to process a batch, steps called from it included");
        for (StepFigures s : flow.figures().steps()) {
            long[] counts = s.batchTimes();
            batches.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts))
                    .sum(s.batchNanos() / 1e9)
                    .labels(Labels.of("flow", flow.flow(), "process", process, "step", s.step(), "worker", Integer.toString(s.worker())))
                    .build());
        }
        GaugeSnapshot.Builder lags = GaugeSnapshot.builder().name("wax_source_lag_records")
                .help("records of a source partition not yet read (Kafka consumer lag)");
        for (PartitionLag l : flow.figures().lags()) {
            lags.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(l.lag())
                    .labels(Labels.of("flow", flow.flow(), "partition", l.partition(), "process", process, "step", l.step(),
                            "worker", Integer.toString(l.worker())))
                    .build());
        }
        List<PeerTraffic> peers = flow.figures().peers();
        return MetricSnapshots.of(batches.build(), lags.build(),
                peerCounter("wax_peer_sent_bytes", "bytes sent to the peer process", peers, PeerTraffic::bytesSent),
                peerCounter("wax_peer_sent_frames", "frames sent to the peer process", peers, PeerTraffic::framesSent),
                peerCounter("wax_peer_received_bytes", "bytes received from the peer process", peers, PeerTraffic::bytesReceived),
                peerCounter("wax_peer_received_frames", "frames received from the peer process", peers, PeerTraffic::framesReceived));
    }

    private CounterSnapshot peerCounter(String name, String help, List<PeerTraffic> peers,
                                        java.util.function.ToLongFunction<PeerTraffic> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (PeerTraffic p : peers) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value.applyAsLong(p))
                    .labels(Labels.of("flow", flow.flow(), "peer", Integer.toString(p.peer()), "process", process)).build());
        }
        return b.build();
    }

    private static double[] bounds() {
        long[] nanos = StepFigures.BATCH_BUCKETS_NANOS;
        double[] b = new double[nanos.length + 1];
        for (int i = 0; i < nanos.length; i++) {
            b[i] = nanos[i] / 1e9;
        }
        b[nanos.length] = Double.POSITIVE_INFINITY;
        return b;
    }
}
