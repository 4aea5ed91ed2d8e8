/** Where the engine writes encoded per-key snapshots and worker frontiers, and reads them back on resume. */
@org.osgi.annotation.versioning.Version("1.3.0")
package io.wax.spi.recovery;
