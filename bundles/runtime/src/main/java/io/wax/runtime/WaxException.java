package io.wax.runtime;

/**
 * A failure to show the user as one short paragraph (its message), without a stack trace: an
 * unknown flow, wrong arguments, a flow that failed. The cause, when there is one, goes to the log.
 */
public class WaxException extends RuntimeException {
    public WaxException(String message) {
        super(message);
    }

    public WaxException(String message, Throwable cause) {
        super(message, cause);
    }
}
