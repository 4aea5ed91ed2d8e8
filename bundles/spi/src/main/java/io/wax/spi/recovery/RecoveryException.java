package io.wax.spi.recovery;

/**
 * A recovery store that cannot be used as asked: missing, extra or disagreeing partitions, a
 * corrupt or unwritable partition, a store of another flow, changed stateful steps. Its message is
 * one paragraph that names what is wrong and what to do; the store is left as it was.
 */
public class RecoveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecoveryException(String message) {
        super(message);
    }

    public RecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
