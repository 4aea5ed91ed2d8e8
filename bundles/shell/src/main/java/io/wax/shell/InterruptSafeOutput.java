package io.wax.shell;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The session's console for a run's workers. Gogo's session streams are interruptible channels:
 * one write from an interrupted thread (a worker being stopped) closes them for the rest of the
 * session. Writes here happen with the interrupt flag cleared, and the flag is set again after.
 */
final class InterruptSafeOutput extends OutputStream {
    private final OutputStream console;

    InterruptSafeOutput(OutputStream console) {
        this.console = console;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            console.write(b, off, len);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            console.flush();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The console belongs to the session: never closed by a run. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
