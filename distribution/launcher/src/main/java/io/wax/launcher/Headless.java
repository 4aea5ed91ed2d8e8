package io.wax.launcher;

import io.wax.runtime.FlowTable;
import io.wax.runtime.RunControl;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One command without the shell: boots the framework without Gogo and JLine (fewer bundles,
 * faster start), calls the runtime service, stops, and turns the outcome into an exit code and
 * at most one paragraph on stderr.
 */
final class Headless {
    private static final Logger LOG = Logger.getLogger(Headless.class.getName());
    private static final long RUNTIME_WAIT_MS = 15_000;

    private final Home home;
    private final PrintStream err;

    Headless(Home home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    int run(String getter, RunFlags flags, PrintStream out, InputStream in) {
        RunControl control = new RunControl();
        Signals.stopGracefully(control, err);
        return with(rt -> rt.run(getter, flags, out, in, control));
    }

    int describe(String getter, String format, PrintStream out) {
        return with(rt -> out.print(rt.describe(getter, format)));
    }

    int flows(PrintStream out) {
        return with(rt -> out.print(FlowTable.format(rt.flows())));
    }

    /** {@code wax recovery init|info}: prints what the runtime returns. */
    int recovery(java.util.function.Function<WaxRuntime, String> action, PrintStream out) {
        return with(rt -> out.println(action.apply(rt).stripTrailing()));
    }

    private int with(Consumer<WaxRuntime> action) {
        Framework fw = null;
        try (Cache cache = Cache.create()) {
            fw = Boot.start(home, cache, null);
            ServiceTracker<WaxRuntime, WaxRuntime> tracker = new ServiceTracker<>(fw.getBundleContext(), WaxRuntime.class, null);
            tracker.open();
            WaxRuntime rt = tracker.waitForService(RUNTIME_WAIT_MS);
            if (rt == null) {
                err.println("wax: the Wax runtime did not start within " + RUNTIME_WAIT_MS / 1000 + " s; see "
                        + home.log().resolve("wax.log"));
                return Main.FAILED;
            }
            try {
                action.accept(rt);
                return Main.OK;
            } finally {
                tracker.close();
                stop(fw);
                fw = null;
            }
        } catch (WaxException e) {
            err.println("wax: " + e.getMessage());
            return Main.FAILED;
        } catch (ConfigException e) {
            err.println("wax: " + e.getMessage());
            return Main.FAILED;
        } catch (Exception e) {
            // INFO: stderr gets the one-paragraph error below, the file keeps the stack.
            LOG.log(Level.INFO, "wax failed", e);
            err.println("wax: " + e + " (details in " + home.log().resolve("wax.log") + ")");
            return Main.FAILED;
        } finally {
            if (fw != null) {
                stop(fw);
            }
        }
    }

    private static void stop(Framework fw) {
        try {
            fw.stop();
            fw.waitForStop(10_000);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the framework did not stop cleanly", e);
        }
    }
}
