package io.wax.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BiConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * {@code etc/gosh_profile}, which the shell runs at its start. Gogo reports a profile that fails
 * with a stack trace and then ends the shell with exit 0, so Wax takes both cases over:
 * <ul>
 * <li>a syntax error is found before the shell starts ({@link #check}), with Gogo's own parser;</li>
 * <li>a command that fails when it runs: Gogo runs {@code ${gosh.home}/etc/gosh_profile}, and
 * {@code gosh.home} is a folder of the process's cache whose profile is the one line
 * {@value #RUNNER}. That command (the shell bundle's) runs the distribution's profile, named by the
 * property {@value #FILE_PROPERTY}, and reports a failure, with its line, to this object (a service
 * with {@value #SERVICE_FILTER}), which stops the framework; the shell then exits 1.</li>
 * </ul>
 * The launcher does not link against Gogo or the shell bundle: Gogo's parser is loaded from its
 * bundle, and the report arrives through a {@link BiConsumer} of (line, what went wrong).
 */
final class GoshProfile implements BiConsumer<Integer, String> {
    static final String FILE_PROPERTY = "wax.gosh.profile";
    static final String SERVICE_FILTER = "(wax.profile=failed)";
    static final String RUNNER = "wax:profile";
    private static final String RUNTIME = "org.apache.felix.gogo.runtime";

    private final Home home;
    private final Path file;
    private volatile Framework framework;
    private volatile ConfigException failure;

    GoshProfile(Home home) {
        this.home = home;
        this.file = home.etc().resolve("gosh_profile");
    }

    Path file() {
        return file;
    }

    /** The folder Gogo is told is its home ({@code gosh.home}): its etc/gosh_profile runs {@value #RUNNER}. */
    static Path goshHome(Cache cache) {
        return cache.dir().resolve("gosh");
    }

    /** Writes the runner profile and registers this as the service a failed profile reports to. */
    void install(Framework fw, Cache cache) throws IOException {
        Path etc = Files.createDirectories(goshHome(cache).resolve("etc"));
        Files.writeString(etc.resolve("gosh_profile"), "# written by bin/wax: runs etc/gosh_profile of the distribution\n"
                + RUNNER + "\n", StandardCharsets.UTF_8);
        this.framework = fw;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("wax.profile", "failed");
        fw.getBundleContext().registerService(BiConsumer.class, this, props);
    }

    /** A command of the profile failed (called on the shell's thread): the shell ends, exit 1. */
    @Override
    public void accept(Integer line, String what) {
        failure = ConfigException.at(home, file, line == null ? 0 : line, what);
        try {
            framework.stop(); // returns at once; the framework stops on a thread of its own
        } catch (BundleException e) {
            // already stopping
        }
    }

    /** What a profile that failed when it ran reported; null if it did not. */
    ConfigException failure() {
        return failure;
    }

    /** A syntax error in the profile, found with Gogo's parser before the shell starts. */
    void check(List<Bundle> bundles) throws ConfigException {
        if (!Files.exists(file)) {
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.at(home, file, 0, "cannot be read: " + e);
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
            throw ConfigException.at(home, file, line, "syntax error" + column + ": " + error.getMessage()
                    + "; fix it, or restore the shipped file from the distribution's archive");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another Gogo version without this parser: the shell reports problems itself
        }
    }
}
