/** The service a flow bundle registers so that the runner can find and build its flow. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.api.flow;
