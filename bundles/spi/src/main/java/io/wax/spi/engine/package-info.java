/**
 * The engine as a service: {@link io.wax.spi.engine.Engine} runs a plan with the options of
 * {@link io.wax.spi.engine.RunOptions}, on this process's workers and, through a
 * {@link io.wax.spi.transport.Links}, as one process of a cluster.
 */
@org.osgi.annotation.versioning.Version("1.3.0")
package io.wax.spi.engine;
