/** Windowing; see the package documentation written below. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.api.window;
