package io.wax.connectors.kafka;

import io.wax.api.Stream;

/**
 * The two streams of a Kafka input: messages, and errors (empty when the source raises on errors).
 *
 * @see KafkaSource#read
 */
public record KafkaInput<K, V>(Stream<KafkaMessage<K, V>> oks, Stream<KafkaError> errs) {
}
