package io.wax.connectors.kafka;

import java.util.List;

/**
 * A source that can report its consumer lag, for metrics. Reading it is cheap and safe from any
 * thread; it lists the partitions open in this JVM at the time of the call.
 */
@FunctionalInterface
public interface LagGauge {
    List<PartitionLag> lag();
}
