package io.wax.connectors.kafka.internal;

import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Runs code with the thread context classloader set to kafka-clients' own loader. kafka-clients
 * loads class-name defaults (its own reporters and callbacks) through the TCCL when its config
 * classes initialise; inside OSGi the TCCL of a worker thread does not see kafka-clients, and a
 * failed initialisation poisons the config class until the library bundle is refreshed, which a
 * swap never does. So every client construction (and the first touch of a config class) goes
 * through here. The loader is that of the library bundle io.wax.kafka.clients, not this bundle's:
 * it sees every kafka class, and it stays the same across updates of this bundle.
 */
public final class Tccl {
    private static final ClassLoader KAFKA = KafkaProducer.class.getClassLoader();

    private Tccl() {
    }

    public static <T> T withBundleLoader(Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(KAFKA);
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
