package io.wax.connectors.kafka;

/** A Kafka source or sink failed; the message says which topic, partition and brokers. */
public final class KafkaConnectorException extends RuntimeException {
    public KafkaConnectorException(String message, Throwable cause) {
        super(message, cause);
    }

    public KafkaConnectorException(String message) {
        super(message);
    }
}
