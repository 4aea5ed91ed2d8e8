/**
 * Runs a dataflow in this JVM with N worker threads: {@link io.wax.engine.Runner}, the analogue of
 * Bytewax's {@code run_main} and {@code cli_main -wN}, usable from plain JUnit.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package io.wax.engine;
