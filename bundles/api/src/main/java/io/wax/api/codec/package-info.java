/**
 * Codecs: how items that cross processes and snapshotted state become bytes. See {@link
 * io.wax.api.codec.Codec} and {@link io.wax.api.codec.Codecs}.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package io.wax.api.codec;
