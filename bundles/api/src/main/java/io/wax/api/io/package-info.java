/** The source and sink SPI: partitioned (resumable) and dynamic (per-worker) sources and sinks. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.api.io;
