package io.wax.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.reader.LineReader;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingInputStream;

/**
 * A real terminal during one {@code wax:run}. In the terminal's normal mode a read blocks until
 * Enter and cannot be abandoned, so a flow's stdin reader left behind by a stopped run would steal
 * the next command typed to the shell. Instead, for the length of the run the terminal is in raw
 * mode (reads time out) and a small key reader thread does what the terminal would: echo,
 * Backspace, Enter (a line for the flow's stdin), Ctrl-D (end of input) and Ctrl-C (interrupts the
 * run). Closing stops that thread and gives the terminal back to the shell as it was, and what was
 * typed that the flow did not take (a command typed ahead while the run finished) to the shell's
 * line reader, as a terminal would keep it. Ctrl-C drops what was typed before it, as a terminal's
 * interrupt flushes its input.
 */
final class TerminalInput extends InputStream {
    private static final int CTRL_C = 3;
    private static final int CTRL_D = 4;
    private static final int BACKSPACE = 8;
    private static final int DELETE = 127;
    private static final long POLL_MS = 10;
    /** Queued after the last line. */
    private static final byte[] END = new byte[0];

    private final Terminal terminal;
    /** The shell's line reader, which gets the keys typed ahead; null if there is none. */
    private final LineReader shell;
    private final NonBlockingInputStream keys;
    private final Thread command;
    private final Attributes saved;
    private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>(1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Thread keyReader;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int at;
    private boolean ended;

    private TerminalInput(Terminal terminal, NonBlockingInputStream keys, LineReader shell) {
        this.terminal = terminal;
        this.shell = shell;
        this.keys = keys;
        this.command = Thread.currentThread();
        this.saved = terminal.getAttributes();
        Attributes raw = new Attributes(saved);
        // No ISIG: Ctrl-C comes to us as a key, so the run is stopped before the shell resumes.
        raw.setLocalFlags(EnumSet.of(LocalFlag.ICANON, LocalFlag.ECHO, LocalFlag.IEXTEN, LocalFlag.ISIG), false);
        raw.setInputFlags(EnumSet.of(InputFlag.IXON, InputFlag.ICRNL, InputFlag.INLCR), false);
        raw.setControlChar(ControlChar.VMIN, 0);
        raw.setControlChar(ControlChar.VTIME, 1);
        terminal.setAttributes(raw);
        this.keyReader = new Thread(this::readKeys, "wax-keyboard");
        keyReader.setDaemon(true);
        keyReader.start();
    }

    /** The input of a real JLine terminal, or {@code null} for a dumb or absent one. */
    static InputStream open(Object sessionTerminal, Object sessionReader) {
        if (sessionTerminal instanceof Terminal t && !t.getType().startsWith(Terminal.TYPE_DUMB)
                && t.input() instanceof NonBlockingInputStream keys) {
            return new TerminalInput(t, keys, sessionReader instanceof LineReader r ? r : null);
        }
        return null;
    }

    private void readKeys() {
        try {
            while (!closed) {
                int c = keys.read(POLL_MS);
                if (c == NonBlockingInputStream.READ_EXPIRED) {
                    continue;
                }
                if (c < 0) {
                    lines.offer(END);
                    return;
                }
                key(c);
            }
        } catch (IOException e) {
            lines.offer(END);
        }
    }

    private void key(int c) {
        if (c == '\r' || c == '\n') {
            line.write('\n');
            echo("\r\n");
            deliver();
        } else if (c == CTRL_D) {
            if (line.size() == 0) {
                lines.offer(END);
            } else {
                deliver();
            }
        } else if (c == CTRL_C) {
            lines.removeIf(l -> l != END);
            line.reset();
            echo("^C\r\n");
            command.interrupt();
        } else if (c == DELETE || c == BACKSPACE) {
            erase();
        } else if (c >= ' ' || c == '\t') {
            line.write(c);
            if (c < 0x80) {
                echo(String.valueOf((char) c));
            } else {
                echoCompletedCharacter();
            }
        }
    }

    /** Echoes a multi-byte character once its last byte has arrived. */
    private void echoCompletedCharacter() {
        byte[] bytes = line.toByteArray();
        int start = bytes.length - 1;
        while (start > 0 && (bytes[start] & 0xc0) == 0x80) {
            start--;
        }
        String ch = new String(bytes, start, bytes.length - start, terminal.encoding());
        if (!ch.contains("\ufffd")) {
            echo(ch);
        }
    }

    private void erase() {
        byte[] bytes = line.toByteArray();
        if (bytes.length == 0) {
            return;
        }
        int end = bytes.length - 1;
        while (end > 0 && (bytes[end] & 0xc0) == 0x80) {
            end--; // a whole UTF-8 character, not its last byte
        }
        line.reset();
        line.write(bytes, 0, end);
        echo("\b \b");
    }

    private void deliver() {
        if (!lines.offer(line.toByteArray())) {
            echo("\u0007"); // the flow is not reading: the line is dropped, say so with a bell
        }
        line.reset();
    }

    private void echo(String s) {
        terminal.writer().write(s);
        terminal.flush();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (at >= current.length) {
            if (closed || ended) {
                return -1;
            }
            try {
                byte[] next = lines.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (next == END) {
                    ended = true;
                } else if (next != null) {
                    current = next;
                    at = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stdin read interrupted");
            }
        }
        int n = Math.min(len, current.length - at);
        System.arraycopy(current, at, b, off, n);
        at += n;
        return n;
    }

    /** Stops the key reader and gives the terminal back to the shell as it was. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            keyReader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminal.setAttributes(saved);
        String ahead = typedAhead();
        if (shell != null && !ahead.isEmpty()) {
            shell.runMacro(ahead); // read by the shell's next readLine before the terminal
        }
    }

    /** The lines the flow did not take and the line being typed, with Enter as the terminal sends it. */
    private String typedAhead() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            all.writeBytes(l);
        }
        all.writeBytes(line.toByteArray());
        return all.toString(terminal.encoding()).replace('\n', '\r');
    }
}
