package io.wax.launcher;

import io.wax.runtime.RunControl;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import sun.misc.Signal;

/**
 * SIGTERM, SIGHUP and SIGINT (Ctrl-C) during a headless run: the first stops the run gracefully
 * (the open epoch closes everywhere, sinks write everything already computed, exit 0), a second
 * one stops the process at once with 128 plus the signal's number, as a shell reports it.
 */
final class Signals {
    private static final List<String> NAMES = List.of("TERM", "HUP", "INT");

    private Signals() {
    }

    /**
     * SIGINT in the shell: passed to the shell bundle's handler (a {@code BooleanSupplier} service
     * with {@code wax.signal=INT}), which stops the runs going on; with none going on it is
     * ignored, so that Ctrl-C never ends the shell (on a terminal JLine reads it as a key anyway).
     */
    static void interruptRuns(BundleContext ctx) {
        try {
            Signal.handle(new Signal("INT"), s -> {
                try {
                    for (ServiceReference<BooleanSupplier> ref : ctx.getServiceReferences(BooleanSupplier.class, "(wax.signal=INT)")) {
                        BooleanSupplier handler = ctx.getService(ref);
                        if (handler != null) {
                            try {
                                handler.getAsBoolean();
                            } finally {
                                ctx.ungetService(ref);
                            }
                        }
                    }
                } catch (InvalidSyntaxException | IllegalStateException e) {
                    // the framework is stopping
                }
            });
        } catch (IllegalArgumentException e) {
            // SIGINT is not available here: its default applies
        }
    }

    static void stopGracefully(RunControl control, PrintStream err) {
        AtomicBoolean first = new AtomicBoolean(true);
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (first.getAndSet(false)) {
                        err.println("wax: SIG" + s.getName() + ": closing the open epoch, then stopping"
                                + " (send it again to stop at once)");
                        control.stop();
                    } else {
                        err.println("wax: SIG" + s.getName() + " again: stopping at once");
                        System.exit(128 + s.getNumber());
                    }
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available here (or the JVM keeps it): its default applies
            }
        }
    }
}
