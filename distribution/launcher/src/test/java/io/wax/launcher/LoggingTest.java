package io.wax.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void faultsNameTheFileTheLineAndWhatIsWrong(@TempDir Path root) throws Exception {
        Home home = new Home(root);
        Files.createDirectories(home.etc());
        Path conf = home.etc().resolve("logging.properties");
        Files.writeString(conf, "# comment\nlevel=LOUD\n");
        assertEquals("etc/logging.properties line 2: unknown level 'LOUD'; use one of OFF, SEVERE, WARNING, INFO, CONFIG,"
                + " FINE, FINER, FINEST, ALL", assertThrows(ConfigException.class, () -> Logging.configure(home)).getMessage());
        Files.writeString(conf, "level=INFO\nthis is not a setting\n");
        assertEquals("etc/logging.properties line 2: 'this is not a setting' is not KEY=VALUE; write KEY=VALUE, or start the"
                + " line with # for a comment", assertThrows(ConfigException.class, () -> Logging.configure(home)).getMessage());
        Files.writeString(conf, "levle=INFO\n");
        assertTrue(assertThrows(ConfigException.class, () -> Logging.configure(home)).getMessage()
                .startsWith("etc/logging.properties line 1: unknown setting 'levle'"));
        Files.writeString(conf, "logger.a\\u12=FINE\n");
        assertTrue(assertThrows(ConfigException.class, () -> Logging.configure(home)).getMessage()
                .startsWith("etc/logging.properties line 1: malformed escape '\\u12'"));
        Files.writeString(conf, "level=INFO\nlevel=FINE\n");
        assertEquals("etc/logging.properties line 2: level is set twice (also on line 1); keep one",
                assertThrows(ConfigException.class, () -> Logging.configure(home)).getMessage());
    }
}
