package io.wax.runtime;

/** The command line itself is wrong: callers print the message followed by the usage text. */
public final class UsageException extends WaxException {
    public UsageException(String message) {
        super(message);
    }
}
