package io.wax.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The distribution's folders: {@code bin/}, {@code etc/} (settings and configurations),
 * {@code lib/} (the launcher's class path), {@code bundle/} (the bundles every run installs),
 * {@code bundle/shell/} (added for the interactive shell), {@code deploy/} (flow bundles, watched)
 * and {@code log/}.
 */
record Home(Path root) {
    /** From {@code -Dwax.home} (set by {@code bin/wax}), else the current directory. */
    static Home detect() {
        String prop = System.getProperty("wax.home");
        return new Home(Path.of(prop == null || prop.isBlank() ? "." : prop).toAbsolutePath().normalize());
    }

    Path etc() {
        return root.resolve("etc");
    }

    Path bundles() {
        return root.resolve("bundle");
    }

    Path shellBundles() {
        return bundles().resolve("shell");
    }

    Path deploy() {
        return root.resolve("deploy");
    }

    Path log() {
        return root.resolve("log");
    }

    /** A path inside the distribution as {@code etc/x}, any other as it is. */
    String show(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    boolean looksValid() {
        return Files.isDirectory(bundles());
    }
}
