/**
 * What the shell and the launcher use to list, describe and run the deployed flows: the
 * {@link io.wax.runtime.WaxRuntime} service and the shared run-flag parser. This package uses JDK
 * types only, so that an embedding launcher can export it from the system bundle and call the
 * service directly.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package io.wax.runtime;
