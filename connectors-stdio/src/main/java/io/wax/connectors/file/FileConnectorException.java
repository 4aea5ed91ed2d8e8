package io.wax.connectors.file;

/** A file a connector cannot use, or a malformed line in it; the message names the file (and line). */
public final class FileConnectorException extends RuntimeException {
    public FileConnectorException(String message) {
        super(message);
    }

    public FileConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
