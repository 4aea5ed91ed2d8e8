package io.wax.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * Checks {@code etc/gosh_profile} before the shell runs it: Gogo reports a syntax error in it with
 * a stack trace and then runs a shell that exits 0, without Wax's commands set up. Parsed with
 * Gogo's own parser, loaded from its bundle (the launcher does not link against Gogo).
 */
final class GoshProfile {
    private static final String RUNTIME = "org.apache.felix.gogo.runtime";

    private GoshProfile() {
    }

    static void check(Home home, List<Bundle> bundles) throws ConfigException {
        Path profile = home.etc().resolve("gosh_profile");
        if (!Files.exists(profile)) {
            return;
        }
        String text;
        try {
            text = Files.readString(profile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.at(home, profile, 0, "cannot be read: " + e);
        }
        Bundle gogo = bundles.stream().filter(b -> RUNTIME.equals(b.getSymbolicName())).findFirst().orElse(null);
        if (gogo == null) {
            return;
        }
        try {
            Class<?> parser = gogo.loadClass(RUNTIME + ".Parser");
            Object p = parser.getConstructor(CharSequence.class).newInstance(text);
            parser.getMethod("program").invoke(p);
        } catch (InvocationTargetException e) {
            Throwable error = e.getCause();
            int line = 0;
            String column = "";
            try {
                // Gogo counts both from 0.
                line = (Integer) error.getClass().getMethod("line").invoke(error) + 1;
                column = " (column " + ((Integer) error.getClass().getMethod("column").invoke(error) + 1) + ")";
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // an error without a position: the file is named anyway
            }
            throw ConfigException.at(home, profile, line, "syntax error" + column + ": " + error.getMessage()
                    + "; fix it, or restore the shipped file from the distribution's archive");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another Gogo version without this parser: the shell reports problems itself
        }
    }
}
