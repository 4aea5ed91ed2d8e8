package io.wax.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import org.jline.terminal.Terminal;

/**
 * What {@code wax:attach} (run by {@code etc/gosh_profile}) sets up in the shell's line reader:
 * <ul>
 * <li>Enter first looks at the line ({@link LineCheck}): an unquoted getter with parentheses is
 * quoted, an unknown command is answered with one line, instead of Gogo's raw exception text;</li>
 * <li>on a real terminal, log warnings are printed above the prompt and its line redrawn, instead
 * of landing in the middle of what is being typed.</li>
 * </ul>
 * Only this class links against JLine for it; without JLine (its import is optional) nothing is set up.
 */
final class ShellSetup {
    private final List<Handler> replaced = new ArrayList<>();
    private Handler installed;

    synchronized void attach(CommandSession session) {
        try {
            if (session.get(".reader") instanceof LineReader reader) {
                checkLines(reader, session);
                if (onTerminal(session) && installed == null) {
                    printLogAbove(reader);
                }
            }
        } catch (NoClassDefFoundError e) {
            // no JLine: Gogo's plain behaviour
        }
    }

    /** Puts the console log handlers back; the shell is going away. */
    synchronized void detach() {
        Logger root = Logger.getLogger("");
        if (installed != null) {
            root.removeHandler(installed);
            installed = null;
        }
        for (Handler h : replaced) {
            root.addHandler(h);
        }
        replaced.clear();
    }

    /** Whether the session's terminal is a real one (not a pipe's dumb terminal). */
    static boolean onTerminal(CommandSession session) {
        try {
            return session.get(".terminal") instanceof Terminal t && !t.getType().startsWith(Terminal.TYPE_DUMB);
        } catch (NoClassDefFoundError e) {
            return false;
        }
    }

    private static void checkLines(LineReader reader, CommandSession session) {
        Widget accept = reader.getWidgets().get(LineReader.ACCEPT_LINE);
        if (accept == null || accept instanceof CheckingAccept) {
            return;
        }
        reader.getWidgets().put(LineReader.ACCEPT_LINE, (CheckingAccept) () -> {
            String text = reader.getBuffer().toString();
            if (!text.contains("\n")) {
                LineCheck c = LineCheck.of(text, name -> known(session, name));
                if (c.message() != null) {
                    tell(reader, session, c.message());
                    reader.getBuffer().clear();
                    reader.getBuffer().write(c.line());
                }
            }
            return accept.apply();
        });
    }

    /** Marks the widget installed here, so a second attach does not wrap it again. */
    private interface CheckingAccept extends Widget {
    }

    private static boolean known(CommandSession session, String name) {
        if (session.get(name) != null) {
            return true; // a variable holding a closure, e.g. the profile's "e"
        }
        Object commands = session.get(".commands");
        if (!(commands instanceof Set<?> all)) {
            return true;
        }
        for (Object o : all) {
            String c = String.valueOf(o);
            if (c.equals(name) || c.endsWith(":" + name)) {
                return true;
            }
        }
        return false;
    }

    /** Above the prompt on a terminal; on stderr when the shell reads a pipe. */
    private static void tell(LineReader reader, CommandSession session, String message) {
        if (onTerminal(session)) {
            reader.printAbove(message);
        } else {
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8).println(message);
        }
    }

    /** Swaps the console log handlers for one that prints above the prompt, formatted the same. */
    private void printLogAbove(LineReader reader) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                replaced.add(h);
            }
        }
        if (replaced.isEmpty()) {
            return;
        }
        Handler like = replaced.get(0);
        installed = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    reader.printAbove(getFormatter().format(r).stripTrailing());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        installed.setFormatter(like.getFormatter());
        installed.setLevel(like.getLevel());
        installed.setFilter(like.getFilter());
        for (Handler h : replaced) {
            root.removeHandler(h);
        }
        root.addHandler(installed);
    }
}
