package io.wax.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final List<String> LEVELS = List.of("OFF", "SEVERE", "WARNING", "INFO", "CONFIG", "FINE", "FINER",
            "FINEST", "ALL");

    private Logging() {
    }

    /**
     * Reads {@code etc/logging.properties}: {@code level=} (INFO by default), {@code console=}
     * ({@code wax}, the default: only Wax's own warnings and errors reach stderr, the framework's,
     * SCR's, FileInstall's and libraries' go to the file only; {@code all}: every warning and error)
     * and {@code logger.NAME=LEVEL}.
     *
     * @throws ConfigException for a malformed file, an unknown setting or an unknown level
     */
    static void configure(Home home) throws ConfigException {
        Path conf = home.etc().resolve("logging.properties");
        Map<String, Settings.Entry> p = Settings.read(home, conf);
        Level rootLevel = Level.INFO;
        boolean all = false;
        List<Logger> loggers = new ArrayList<>();
        List<Level> levels = new ArrayList<>();
        for (Map.Entry<String, Settings.Entry> e : p.entrySet()) {
            String key = e.getKey();
            Settings.Entry v = e.getValue();
            if (key.equals("level")) {
                rootLevel = level(home, conf, v);
            } else if (key.equals("console")) {
                if (!v.value().equals("wax") && !v.value().equals("all")) {
                    throw ConfigException.at(home, conf, v.line(), "console must be wax or all, got '" + v.value() + "'");
                }
                all = v.value().equals("all");
            } else if (key.startsWith("logger.") && key.length() > "logger.".length()) {
                loggers.add(Logger.getLogger(key.substring("logger.".length())));
                levels.add(level(home, conf, v));
            } else {
                throw ConfigException.at(home, conf, v.line(), "unknown setting '" + key
                        + "'; the settings are level, console and logger.NAME");
            }
        }
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(rootLevel);
        if ("off".equals(System.getProperty("wax.log"))) {
            return; // bin/wax's run that records the class-data archive: not the user's command
        }
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).setLevel(levels.get(i));
            CONFIGURED.add(loggers.get(i));
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
        if (!all) {
            err.setFilter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("io.wax."));
        }
        root.addHandler(err);
    }

    private static Level level(Home home, Path conf, Settings.Entry v) throws ConfigException {
        String name = v.value().trim().toUpperCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(name)) {
            throw ConfigException.at(home, conf, v.line(), "unknown level '" + v.value() + "'; use one of "
                    + String.join(", ", LEVELS));
        }
        return Level.parse(name);
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
