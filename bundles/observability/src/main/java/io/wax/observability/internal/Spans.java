package io.wax.observability.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.wax.spi.monitor.RunEvents;
import java.util.concurrent.TimeUnit;

/**
 * Epoch closes and snapshots as OpenTelemetry spans, exported over OTLP/HTTP to
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} in batches by the SDK's own thread; made only when that
 * variable is set, so that without it the engine is told nothing.
 */
final class Spans implements RunEvents, AutoCloseable {
    private static final AttributeKey<String> FLOW = AttributeKey.stringKey("wax.flow");
    private static final AttributeKey<Long> WORKER = AttributeKey.longKey("wax.worker");
    private static final AttributeKey<Long> EPOCH = AttributeKey.longKey("wax.epoch");
    private static final AttributeKey<Long> SNAPSHOTS = AttributeKey.longKey("wax.snapshots");
    private static final AttributeKey<Long> BYTES = AttributeKey.longKey("wax.bytes");

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Spans(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build();
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
                        System.getenv().getOrDefault("OTEL_SERVICE_NAME", "wax")))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        this.tracer = provider.get("io.wax.observability");
    }

    /** Spans for the endpoint in {@code OTEL_EXPORTER_OTLP_ENDPOINT}, or null when it is not set. */
    static Spans fromEnvironment() {
        String endpoint = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
        return endpoint == null || endpoint.isBlank() ? null : new Spans(endpoint.strip());
    }

    @Override
    public void epochClosed(String flow, int worker, long epoch, long openedMillis, long closedMillis) {
        tracer.spanBuilder("epoch").setStartTimestamp(openedMillis, TimeUnit.MILLISECONDS)
                .setAttribute(FLOW, flow).setAttribute(WORKER, (long) worker).setAttribute(EPOCH, epoch)
                .startSpan().end(Math.max(openedMillis, closedMillis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void snapshotWritten(String flow, int worker, long frontier, int snapshots, long bytes, long startMillis, long nanos) {
        long startNanos = TimeUnit.MILLISECONDS.toNanos(startMillis);
        tracer.spanBuilder("snapshot").setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .setAttribute(FLOW, flow).setAttribute(WORKER, (long) worker).setAttribute(EPOCH, frontier)
                .setAttribute(SNAPSHOTS, (long) snapshots).setAttribute(BYTES, bytes)
                .startSpan().end(startNanos + nanos, TimeUnit.NANOSECONDS);
    }

    /** Exports what is still buffered, then stops the exporter's thread. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
