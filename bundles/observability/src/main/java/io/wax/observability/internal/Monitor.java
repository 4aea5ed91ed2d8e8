package io.wax.observability.internal;

import io.wax.runtime.StatusClient;
import io.wax.runtime.WaxException;
import io.wax.spi.monitor.FlowMonitor;
import io.wax.spi.monitor.RunEvents;
import io.wax.spi.monitor.RunningFlow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The runtime's flow monitor: serves each run that has a metrics port, keeps the last few runs of
 * this process for {@code wax:status}, and is the {@code wax:status} command.
 */
@Component(service = FlowMonitor.class, property = {"osgi.command.scope=wax", "osgi.command.function=status"})
public final class Monitor implements FlowMonitor {
    private static final int KEEP = 5;
    private final Map<Integer, MetricsServer> servers = new HashMap<>();
    private final Deque<RunningFlow> recent = new ArrayDeque<>();
    /** Epoch and snapshot spans, when OTEL_EXPORTER_OTLP_ENDPOINT is set; else null. */
    private final Spans spans = Spans.fromEnvironment();

    @Override
    public synchronized void watch(RunningFlow flow) {
        recent.addFirst(flow);
        while (recent.size() > KEEP) {
            recent.removeLast();
        }
        int port = flow.metricsPort();
        if (port <= 0) {
            return;
        }
        MetricsServer s = servers.get(port);
        if (s != null && !s.host().equals(flow.metricsHost())) {
            servers.remove(port).close();
            s = null;
        }
        if (s == null) {
            s = MetricsServer.open(flow.metricsHost(), port);
            servers.put(port, s);
        }
        s.show(flow);
    }

    @Override
    public RunEvents events() {
        return spans;
    }

    /**
     * {@code wax:status [--port P [--host H]] [--watch]}: with a port, the flow another process
     * (or this one) serves there; without, the runs of this process, newest first.
     */
    public String status(String... args) throws InterruptedException {
        if (args.length == 0) {
            List<RunningFlow> flows;
            synchronized (this) {
                flows = new ArrayList<>(recent);
            }
            if (flows.isEmpty()) {
                return "no flow has run in this process; wax:status --port P shows the flow a process serves on its --metrics-port";
            }
            StringBuilder b = new StringBuilder();
            for (RunningFlow f : flows) {
                b.append(StatusTable.format(Sample.read(f, null)));
            }
            return b.toString().stripTrailing();
        }
        try {
            StatusClient client = StatusClient.parse(List.of(args), Map.of());
            if (!client.watch()) {
                return client.table().stripTrailing();
            }
            client.print(System.out); // Gogo gives each command's thread the session's output
        } catch (WaxException e) {
            return "wax:status: " + e.getMessage();
        }
        return null;
    }

    /** Closes every port and the span exporter (public for harnesses that make a monitor by hand). */
    @Deactivate
    public synchronized void deactivate() {
        for (MetricsServer s : servers.values()) {
            s.close();
        }
        servers.clear();
        recent.clear();
        if (spans != null) {
            spans.close();
        }
    }
}
