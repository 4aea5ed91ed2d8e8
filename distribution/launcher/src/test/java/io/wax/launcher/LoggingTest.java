package io.wax.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingTest {
    @AfterEach
    void resetLogging() {
        LogManager.getLogManager().reset();
    }

    @Test
    void logLevelsOfSingleLoggersComeFromTheProperties(@TempDir Path root) throws Exception {
        Home home = new Home(root);
        Files.createDirectories(home.etc());
        Files.writeString(home.etc().resolve("logging.properties"),
                "level=INFO\nlogger.io.wax.test.quiet=OFF\nlogger.io.wax.test.chatty=FINE\n");
        Logging.configure(home);
        System.gc(); // java.util.logging may forget unreferenced loggers, and their levels with them
        assertEquals(Level.OFF, Logger.getLogger("io.wax.test.quiet").getLevel());
        assertFalse(Logger.getLogger("io.wax.test.quiet").isLoggable(Level.SEVERE));
        assertTrue(Logger.getLogger("io.wax.test.chatty").isLoggable(Level.FINE));
        assertTrue(Logger.getLogger("io.wax.test.other").isLoggable(Level.WARNING));
        assertFalse(Logger.getLogger("io.wax.test.other").isLoggable(Level.FINE));
    }
}
