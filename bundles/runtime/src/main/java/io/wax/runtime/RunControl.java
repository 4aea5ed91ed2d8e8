package io.wax.runtime;

import java.time.Duration;

/**
 * Lets another thread stop a run started with {@link WaxRuntime#run(String, RunFlags, java.io.PrintStream,
 * java.io.InputStream, RunControl)}: what a signal handler or the shell's Ctrl-C calls.
 *
 * <p>{@link #stop()} is graceful: inputs stop reading, the open epoch closes everywhere as at a
 * normal epoch end (sinks flush, snapshots are taken), and the run returns normally, without end
 * of input. {@link #abort(Duration)} stops at once; the run then fails, and a worker still inside
 * user code after {@code grace} is reported as stuck (step, worker, stack) instead of being waited
 * for. Either may come before the run has started: it then applies as soon as it starts.
 */
public final class RunControl {
    private Target target;
    private boolean stopRequested;
    private Duration abortGrace;

    /** What the runtime binds a control to while its run goes on. */
    public interface Target {
        void stop();

        void abort(Duration grace);
    }

    /** Asks the run to stop gracefully; returns at once. */
    public synchronized void stop() {
        stopRequested = true;
        if (target != null) {
            target.stop();
        }
    }

    /** Stops the run at once; see the class comment. Returns at once. */
    public synchronized void abort(Duration grace) {
        abortGrace = grace;
        if (target != null) {
            target.abort(grace);
        }
    }

    public synchronized boolean stopRequested() {
        return stopRequested;
    }

    /** For the runtime: the run has started; requests made before it apply now. */
    public synchronized void bind(Target t) {
        target = t;
        if (stopRequested) {
            t.stop();
        }
        if (abortGrace != null) {
            t.abort(abortGrace);
        }
    }

    /** For the runtime: the run has ended. */
    public synchronized void unbind() {
        target = null;
    }
}
