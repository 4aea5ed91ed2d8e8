package io.wax.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The session's keyboard as one run's standard input. A thread blocked reading a terminal cannot
 * be interrupted, so a flow's stdin reader left behind by a stopped run would go on stealing the
 * lines typed to the shell. This stream never blocks in the terminal for long: it reads with a
 * short timeout (JLine terminals) or waits for {@link InputStream#available()} bytes (other
 * streams), and once {@link #close() closed} (when the run ends) it only answers end of input.
 * Ctrl-D, which a terminal in raw mode delivers as a byte, ends input.
 */
final class KeyboardInput extends InputStream {
    private static final int CTRL_D = 4;
    private static final long POLL_MS = 10;

    private final InputStream keyboard;
    private final boolean jline;
    private volatile boolean closed;
    private boolean ended;

    KeyboardInput(InputStream keyboard) {
        this.keyboard = keyboard;
        this.jline = JLineKeys.handles(keyboard);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!closed && !ended) {
            int n = jline ? readJLine(b, off, len) : readAvailable(b, off, len);
            if (n < 0) {
                ended = true;
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (b[off + i] == CTRL_D) {
                    ended = true;
                    return i == 0 ? -1 : i;
                }
            }
            if (n > 0) {
                return n;
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stdin read interrupted");
            }
        }
        return -1;
    }

    /** What arrives within the poll interval, one byte at a time; 0 if nothing did. */
    private int readJLine(byte[] b, int off, int len) throws IOException {
        int n = 0;
        long wait = POLL_MS;
        while (n < len && !closed) {
            int c = JLineKeys.read(keyboard, wait);
            if (c == JLineKeys.EXPIRED) {
                break;
            }
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
            wait = 1; // drain what is already there, without waiting for more
        }
        return n;
    }

    private int readAvailable(byte[] b, int off, int len) throws IOException {
        int available = keyboard.available();
        if (available > 0) {
            return keyboard.read(b, off, Math.min(len, available));
        }
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stdin read interrupted");
        }
        return 0;
    }

    /** Ends this run's view of the keyboard; the keyboard itself stays open for the shell. */
    @Override
    public void close() {
        closed = true;
    }
}
