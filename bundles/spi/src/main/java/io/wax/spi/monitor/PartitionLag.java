package io.wax.spi.monitor;

/**
 * How far one source partition is behind the end of its data, in the source's own units (for
 * Kafka: records).
 */
public record PartitionLag(String step, String partition, int worker, long lag) {
}
