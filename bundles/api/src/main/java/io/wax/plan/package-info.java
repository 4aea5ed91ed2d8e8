/**
 * The engine contract: a flow as data (its core steps, the derived operators they came from) and
 * the hints the engine reads from the API's own operators ({@link io.wax.plan.KeyedBatch},
 * {@link io.wax.plan.PerItem}, {@link io.wax.plan.PerValue}, {@link io.wax.plan.UserCode}).
 *
 * <p>Not for flows: users compile against {@code io.wax.api} and its sub-packages only. The API
 * bundle exports this package with the mandatory attribute {@code wax.contract=engine}, so that in
 * OSGi only bundles that ask for it by that attribute (the engine, the runtime, windowing) can wire
 * to it; a flow bundle that imports it does not resolve. {@link io.wax.plan.Plans#of} is how the
 * engine gets a {@code Dataflow}'s plan.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.wax.plan;
