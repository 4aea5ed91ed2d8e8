package io.wax.connectors.kafka;

/**
 * What a {@link KafkaSource} emits: a {@link KafkaMessage}, or, when the source does not raise on
 * errors, a {@link KafkaError}. {@link KafkaSource#read} splits the two into their own streams.
 */
public sealed interface KafkaItem permits KafkaMessage, KafkaError {
    String topic();

    int partition();

    /** The message's offset, or -1 for an error that belongs to no message. */
    long offset();
}
