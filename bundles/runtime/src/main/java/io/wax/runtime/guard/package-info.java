/**
 * The targets of the calls the runtime rewrites in flow bundles ({@code System.exit},
 * {@code Runtime.exit}, {@code Runtime.halt}); exported only so that woven flow classes can link to
 * them. Not an API.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.runtime.guard;
