package io.wax.observability.internal;

import io.wax.spi.monitor.PartitionLag;
import io.wax.spi.monitor.RunningFlow;
import io.wax.spi.monitor.StepFigures;
import io.wax.spi.monitor.WorkerFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of a run's figures, summed over this process's workers, with rates against the
 * reading before it: what {@code /status}, the web view and {@code wax:status} show.
 */
record Sample(RunningFlow flow, long atMillis, RunningFlow.State state, List<Step> steps, List<Worker> workers,
              List<PartitionLag> lags) {

    /** One step over every worker: items so far, and items per second since the last reading. */
    record Step(String id, long itemsIn, long itemsOut, double inPerSecond, double outPerSecond, long batches, double batchMillis) {
    }

    record Worker(int index, long epoch, long frontier, long inbox, double backpressureSeconds) {
    }

    /** Reads {@code flow} now; {@code before} (or null) gives the rates. */
    static Sample read(RunningFlow flow, Sample before) {
        long now = System.currentTimeMillis();
        RunningFlow.State state = flow.state(); // read first: figures read after an end are final
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (StepFigures s : flow.figures().steps()) {
            long[] sum = sums.computeIfAbsent(s.step(), k -> new long[4]);
            sum[0] += s.itemsIn();
            sum[1] += s.itemsOut();
            sum[2] += s.batches();
            sum[3] += s.batchNanos();
        }
        Map<String, Step> old = new LinkedHashMap<>();
        if (before != null) {
            for (Step s : before.steps) {
                old.put(s.id, s);
            }
        }
        // With no reading before (a run's first second), rates count from the run's start, when
        // every step had no items: they read 0 until the first tick before.
        long since = before != null ? before.atMillis : flow.startedMillis();
        double seconds = since <= 0 ? 0 : (now - since) / 1000.0;
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            long[] v = e.getValue();
            Step o = old.get(e.getKey());
            // A step the reading before did not have had no items then.
            long oldIn = o == null ? 0 : o.itemsIn;
            long oldOut = o == null ? 0 : o.itemsOut;
            double in = seconds <= 0 ? 0 : (v[0] - oldIn) / seconds;
            double out = seconds <= 0 ? 0 : (v[1] - oldOut) / seconds;
            steps.add(new Step(e.getKey(), v[0], v[1], in, out, v[2], v[3] / 1e6));
        }
        List<Worker> workers = new ArrayList<>();
        for (WorkerFigures w : flow.figures().workers()) {
            workers.add(new Worker(w.worker(), w.epoch(), w.frontier(), w.inboxDepth(), w.backpressureNanos() / 1e9));
        }
        return new Sample(flow, now, state, steps, workers, flow.figures().lags());
    }

    /** The highest epoch open at a worker's inputs, or -1 when none is. */
    long epoch() {
        long e = -1;
        for (Worker w : workers) {
            e = Math.max(e, w.epoch);
        }
        return e;
    }

    long totalLag() {
        long sum = 0;
        for (PartitionLag l : lags) {
            sum += Math.max(0, l.lag());
        }
        return sum;
    }

    double uptimeSeconds() {
        long end = flow.endedMillis() != 0 ? flow.endedMillis() : atMillis;
        return (end - flow.startedMillis()) / 1000.0;
    }

    /** {@code "engine": "io.wax.engine 0.1.0 build M", ...}: see {@code RunningFlow.builds()}. */
    private static String builds(java.util.Map<String, String> builds) {
        StringBuilder b = new StringBuilder();
        builds.forEach((role, build) -> b.append(b.length() == 0 ? "" : ", ").append(Json.quote(role)).append(": ").append(Json.quote(build)));
        return b.toString();
    }

    /** The {@code /status} document. */
    String json() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"flow\": ").append(Json.quote(flow.flow()))
                .append(", \"getter\": ").append(Json.quote(flow.getter()))
                .append(", \"state\": ").append(Json.quote(state.name().toLowerCase(java.util.Locale.ROOT)))
                .append(", \"failure\": ").append(Json.quote(flow.failure()))
                .append(", \"swap\": ").append(Json.quote(flow.swap()))
                .append(", \"builds\": {")
                .append(builds(flow.builds()))
                .append("}, \"process\": ").append(flow.processId())
                .append(", \"workerCount\": ").append(flow.workers())
                .append(", \"uptimeSeconds\": ").append(Json.number(uptimeSeconds()))
                .append(", \"epoch\": ").append(epoch())
                .append(", \"lag\": ").append(totalLag())
                .append(",\n \"steps\": [");
        String sep = "\n  ";
        for (Step s : steps) {
            b.append(sep).append("{\"id\": ").append(Json.quote(s.id))
                    .append(", \"itemsIn\": ").append(s.itemsIn).append(", \"itemsOut\": ").append(s.itemsOut)
                    .append(", \"inPerSecond\": ").append(Json.number(s.inPerSecond))
                    .append(", \"outPerSecond\": ").append(Json.number(s.outPerSecond))
                    .append(", \"batches\": ").append(s.batches)
                    .append(", \"batchMillis\": ").append(Json.number(s.batchMillis)).append('}');
            sep = ",\n  ";
        }
        b.append("],\n \"workers\": [");
        sep = "\n  ";
        for (Worker w : workers) {
            b.append(sep).append("{\"worker\": ").append(w.index).append(", \"epoch\": ").append(w.epoch)
                    .append(", \"frontier\": ").append(w.frontier).append(", \"inbox\": ").append(w.inbox)
                    .append(", \"backpressureSeconds\": ").append(Json.number(w.backpressureSeconds)).append('}');
            sep = ",\n  ";
        }
        b.append("],\n \"lags\": [");
        sep = "\n  ";
        for (PartitionLag l : lags) {
            b.append(sep).append("{\"step\": ").append(Json.quote(l.step())).append(", \"partition\": ")
                    .append(Json.quote(l.partition())).append(", \"worker\": ").append(l.worker())
                    .append(", \"lag\": ").append(l.lag()).append('}');
            sep = ",\n  ";
        }
        return b.append("]}\n").toString();
    }
}
