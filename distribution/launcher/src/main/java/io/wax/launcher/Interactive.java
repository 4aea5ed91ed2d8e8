package io.wax.launcher;

import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.launch.Framework;

/**
 * The Gogo shell on the terminal (with JLine line editing and completion), or on whatever stdin
 * is. It ends with {@code exit} (which stops the framework), at end of input, or when the
 * framework is stopped from inside ({@code stop 0}).
 */
final class Interactive {
    private static final Logger LOG = Logger.getLogger(Interactive.class.getName());
    /** Held here so that the level set on it is not lost to garbage collection. */
    private static final Logger JLINE = Logger.getLogger("org.jline");
    /** The name Gogo's JLine bundle gives its shell thread. */
    private static final String SHELL_THREAD = "Gogo shell";

    private final Home home;
    private final PrintStream err;

    Interactive(Home home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    int run() {
        if (System.console() == null) {
            // Driven through a pipe: JLine's dumb terminal is what is wanted, not worth a warning.
            JLINE.setLevel(Level.SEVERE);
        }
        try (Cache cache = Cache.create()) {
            GoshProfile profile = new GoshProfile(home);
            Framework fw = Boot.start(home, cache, profile);
            Signals.interruptRuns(fw.getBundleContext());
            Thread shell = shellThread();
            while (fw.getState() == Framework.ACTIVE || fw.getState() == Framework.STARTING) {
                fw.waitForStop(200);
                if (shell == null) {
                    shell = shellThread();
                } else if (!shell.isAlive()) {
                    break; // end of input: nobody can type "exit" any more
                }
            }
            fw.stop();
            fw.waitForStop(10_000);
            if (profile.failure() != null) {
                throw profile.failure();
            }
            return Main.OK;
        } catch (ConfigException e) {
            err.println("wax: " + e.getMessage());
            return Main.FAILED;
        } catch (Exception e) {
            LOG.log(Level.INFO, "the shell failed", e);
            err.println("wax: the shell failed: " + e + " (details in " + home.log().resolve("wax.log") + ")");
            return Main.FAILED;
        }
    }

    private static Thread shellThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (SHELL_THREAD.equals(t.getName())) {
                return t;
            }
        }
        return null;
    }
}
