/** Where the engine writes per-key snapshots and worker frontiers, and reads them back on resume. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.spi.recovery;
