/** Dataflows, streams, keyed streams and the user-function interfaces of every operator. */
@org.osgi.annotation.versioning.Version("0.2.0")
package io.wax.api;
