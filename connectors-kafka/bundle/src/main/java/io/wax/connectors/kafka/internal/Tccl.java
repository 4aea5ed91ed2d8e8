package io.wax.connectors.kafka.internal;

import java.util.function.Supplier;

/**
 * Runs code with the thread context classloader set to this bundle's loader. kafka-clients loads
 * class-name defaults through the TCCL when its config classes initialise; inside OSGi the TCCL of
 * a worker thread does not see the embedded kafka-clients, so every client construction (and the
 * first touch of a config class) goes through here.
 */
public final class Tccl {
    private Tccl() {
    }

    public static <T> T withBundleLoader(Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(Tccl.class.getClassLoader());
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
