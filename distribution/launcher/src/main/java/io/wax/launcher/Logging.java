package io.wax.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging for the whole process: SLF4J (over java.util.logging, from the launcher's class path),
 * the framework, SCR and FileInstall all end up here. Everything at the configured level goes to
 * {@code log/wax.log}; warnings and errors also go to stderr, one line each. Stdout is never used:
 * it carries only what flows and commands print. {@code etc/logging.properties} sets the level
 * ({@code level=}) and, with {@code logger.NAME=LEVEL}, the level of single loggers.
 */
final class Logging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    /** Loggers given a level of their own: java.util.logging keeps loggers only while they are referenced. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private Logging() {
    }

    /** The level set by {@code level=} in {@code etc/logging.properties}, INFO by default. */
    static void configure(Home home) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Properties p = new Properties();
        Path conf = home.etc().resolve("logging.properties");
        if (Files.isRegularFile(conf)) {
            try (InputStream in = Files.newInputStream(conf)) {
                p.load(in);
            } catch (IOException e) {
                System.err.println("wax: cannot read " + conf + ": " + e.getMessage());
            }
        }
        root.setLevel(level(p.getProperty("level", "INFO")));
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("logger.")) {
                Logger l = Logger.getLogger(name.substring("logger.".length()));
                l.setLevel(level(p.getProperty(name)));
                CONFIGURED.add(l);
            }
        }
        try {
            Files.createDirectories(home.log());
            FileHandler file = new FileHandler(home.log().resolve("wax.log").toString(), true);
            file.setFormatter(new FileFormat());
            file.setLevel(Level.ALL);
            root.addHandler(file);
        } catch (IOException e) {
            System.err.println("wax: cannot write the log in " + home.log() + ": " + e.getMessage());
        }
        ConsoleHandler err = new ConsoleHandler();
        err.setLevel(Level.WARNING);
        err.setFormatter(new ConsoleFormat());
        root.addHandler(err);
    }

    private static Level level(String name) {
        try {
            return Level.parse(name.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }

    /** One line per record, then the stack trace if any. */
    private static final class FileFormat extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder().append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(formatMessage(r))
                    .append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter w = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                b.append(w);
            }
            return b.toString();
        }
    }

    /** Short: the user reads this on the terminal; the stack trace is in the file. */
    private static final class ConsoleFormat extends Formatter {
        @Override
        public String format(LogRecord r) {
            String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
            String cause = r.getThrown() == null ? "" : ": " + r.getThrown();
            return "wax " + level + ": " + formatMessage(r) + cause + System.lineSeparator();
        }
    }
}
