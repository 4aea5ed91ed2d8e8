package io.wax.spi.engine;

import io.wax.plan.Plan;

/**
 * The engine, as the service the runtime calls: it runs a plan with this process's workers. The
 * runtime binds it dynamically, so the engine bundle can be stopped, updated and started again
 * without restarting the runtime; plain JUnit gets the same engine through {@code io.wax.engine.Runner}.
 */
@org.osgi.annotation.versioning.ProviderType
public interface Engine {
    /**
     * Starts running {@code plan} with this process's workers and returns at once. With
     * {@link RunOptions#cluster()} set, this process's workers are its share of the cluster's.
     */
    Run start(Plan plan, RunOptions options);
}
