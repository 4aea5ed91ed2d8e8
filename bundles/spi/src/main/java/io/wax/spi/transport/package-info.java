/**
 * The cluster transport SPI: peers, ordered byte frames per ordered pair of processes, credit-based
 * flow control and failure callbacks. Knows bytes, never operators.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.wax.spi.transport;
