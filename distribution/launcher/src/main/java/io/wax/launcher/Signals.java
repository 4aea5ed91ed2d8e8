package io.wax.launcher;

import io.wax.runtime.RunControl;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
