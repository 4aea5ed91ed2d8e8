/**
 * Files as a flow's sources and sinks, with Bytewax's semantics: {@link FileSource},
 * {@link DirSource} (one partition per file) and {@link CsvSource} resume at their byte offset;
 * {@link FileSink} and {@link DirSink} (one file per partition) truncate to their snapshotted
 * offset on resume, so with recovery their output is exactly-once.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.connectors.file;
