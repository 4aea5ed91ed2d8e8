package io.wax.shell;

import java.io.IOException;
import java.io.InputStream;
import org.jline.utils.NonBlockingInputStream;

/**
 * Timed reads from a JLine terminal, whose input stream does not report {@code available()}.
 * Kept apart from {@link KeyboardInput} so that the shell bundle still works where JLine is
 * absent (its import is optional): only this class links against it.
 */
final class JLineKeys {
    /** What {@link NonBlockingInputStream#read(long)} returns when the time is up. */
    static final int EXPIRED = NonBlockingInputStream.READ_EXPIRED;

    private JLineKeys() {
    }

    static boolean handles(InputStream in) {
        try {
            return in instanceof NonBlockingInputStream;
        } catch (NoClassDefFoundError e) {
            return false;
        }
    }

    /** A raw-mode reader of a real JLine terminal (see {@link TerminalInput}), or {@code null}. */
    static InputStream terminalInput(Object sessionTerminal, Object sessionReader) {
        try {
            return TerminalInput.open(sessionTerminal, sessionReader);
        } catch (NoClassDefFoundError e) {
            return null;
        }
    }

    /** One byte, -1 at end of input, or {@link #EXPIRED} after {@code millis} without input. */
    static int read(InputStream in, long millis) throws IOException {
        return ((NonBlockingInputStream) in).read(millis);
    }
}
