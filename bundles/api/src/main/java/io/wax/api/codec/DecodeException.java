package io.wax.api.codec;

/**
 * Bytes that do not decode: truncated, too long, of an unknown type index, or otherwise not what
 * the codec wrote. Never caused by a class that cannot be found: classes are never named on the
 * wire.
 */
public final class DecodeException extends RuntimeException {
    public DecodeException(String message) {
        super(message);
    }

    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
