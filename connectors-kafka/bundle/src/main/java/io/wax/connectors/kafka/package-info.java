/**
 * Kafka source and sink for Wax flows. {@link io.wax.connectors.kafka.KafkaSource} reads topics as
 * one resumable partition per topic-partition; {@link io.wax.connectors.kafka.KafkaSink} writes
 * keyed messages, flushing at every epoch end (at-least-once). kafka-clients is embedded in this
 * bundle; of its packages only serialization, headers and exceptions are exported.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.connectors.kafka;
