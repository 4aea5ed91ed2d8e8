package io.wax.spi.transport;

/** The cluster could not be formed or kept: peers that never answered, a hello mismatch, a rejected member. */
public final class TransportException extends Exception {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
