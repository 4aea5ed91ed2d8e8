/** Where the engine writes encoded per-key snapshots and worker frontiers, and reads them back on resume. */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.wax.spi.recovery;
