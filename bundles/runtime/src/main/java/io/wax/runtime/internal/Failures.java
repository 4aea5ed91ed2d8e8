package io.wax.runtime.internal;

import io.wax.spi.engine.FlowFailedException;

/** The one paragraph a failed run shows, with a hint for failures users cannot read off the cause. */
final class Failures {
    private Failures() {
    }

    static String describe(FlowFailedException e) {
        if (e.getCause() instanceof OutOfMemoryError oom) {
            long mb = Runtime.getRuntime().maxMemory() >> 20;
            return "flow '" + e.flowId() + "' ran out of memory in step '" + e.stepId() + "' on worker " + e.worker()
                    + " (" + oom + "; the heap's limit is " + mb + " MB): keep less state per key, or give the JVM more heap,"
                    + " e.g. WAX_JAVA_EXTRA_OPTS=-Xmx" + Math.max(1, 2 * mb / 1024) + "g (added to bin/wax's JVM options)";
        }
        return e.getMessage();
    }
}
