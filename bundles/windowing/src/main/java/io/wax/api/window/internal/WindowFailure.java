package io.wax.api.window.internal;

/** Carries a checked exception of a window logic out of a {@code LongConsumer} callback. */
final class WindowFailure extends RuntimeException {
    WindowFailure(Exception cause) {
        super(cause.getMessage(), cause);
    }
}
