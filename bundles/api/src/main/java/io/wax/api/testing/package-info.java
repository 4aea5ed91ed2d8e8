/** Testing source (with EOF, ABORT and PAUSE markers) and testing sink. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.api.testing;
