/**
 * Figures of a running flow, read on demand: {@link io.wax.spi.monitor.RunFigures} (per step and
 * worker, per worker, per Kafka partition, per peer), {@link io.wax.spi.monitor.RunEvents} for
 * epoch closes and snapshots as they happen, and {@link io.wax.spi.monitor.RunningFlow}, the
 * service the runtime registers while a flow runs, for the observability bundle to serve.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package io.wax.spi.monitor;
