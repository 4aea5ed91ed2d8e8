package io.wax.launcher;

import java.nio.file.Path;

/** A settings file or folder Wax cannot use: its message names the file, the line and the fault. */
final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message);
    }

    /** "etc/logging.properties line 3: what" (a path relative to the distribution). */
    static ConfigException at(Home home, Path file, int line, String what) {
        return new ConfigException(home.show(file) + (line > 0 ? " line " + line : "") + ": " + what);
    }
}
