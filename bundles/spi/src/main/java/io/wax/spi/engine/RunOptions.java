package io.wax.spi.engine;

import io.wax.spi.monitor.RunEvents;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.transport.Links;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * How to run a flow.
 *
 * @param workers worker threads in this process (Bytewax's {@code -w})
 * @param epochInterval how often inputs close an epoch (Bytewax's {@code --epoch-interval}, default 10 s);
 *        zero closes an epoch after every batch of every input, as Bytewax's zero interval does, so
 *        that tests control snapshots exactly
 * @param recovery where snapshots go, or {@code null} to run without recovery
 * @param stdout the run's standard output, handed to sinks such as the stdout sink
 * @param stdin the run's standard input, handed to sources such as the stdin source
 * @param maxInFlight items that may wait in a worker's inbox before sources stop being polled
 * @param cluster this process's links to the other processes of its cluster, or {@code null} to
 *        run as the only process; the engine uses them but does not close them
 * @param snapshotInterval how often state is snapshotted when recovery is on (Bytewax's {@code -s}),
 *        or {@code null} for every epoch: a snapshot is taken at the first epoch close after each
 *        interval, so epochs stay the unit of progress and backpressure (Bytewax #353)
 * @param events told about epoch closes and snapshots as they happen, or {@code null}
 */
public record RunOptions(int workers, Duration epochInterval, RecoveryStore recovery, PrintStream stdout,
                         InputStream stdin, int maxInFlight, Links cluster, Duration snapshotInterval,
                         RunEvents events) {
    public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_IN_FLIGHT = 32_768;
    /**
     * The most workers per process: frontier messages and per-worker tables grow with the square of
     * the count, and more workers than cores only add overhead.
     */
    public static final int MAX_WORKERS = 256;

    public RunOptions {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers per process must be 1 to " + MAX_WORKERS + ", got " + workers);
        }
        if (epochInterval == null || epochInterval.isNegative()) {
            throw new IllegalArgumentException("epoch interval must be zero (an epoch per batch) or positive, got "
                    + epochInterval);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        if (snapshotInterval != null && (snapshotInterval.isNegative() || snapshotInterval.isZero())) {
            throw new IllegalArgumentException("snapshot interval must be positive, got " + snapshotInterval);
        }
        if (stdout == null) {
            stdout = System.out;
        }
        if (stdin == null) {
            stdin = System.in;
        }
    }

    /** Snapshots at every epoch close, no run events. */
    public RunOptions(int workers, Duration epochInterval, RecoveryStore recovery, PrintStream stdout,
                      InputStream stdin, int maxInFlight, Links cluster) {
        this(workers, epochInterval, recovery, stdout, stdin, maxInFlight, cluster, null, null);
    }

    /** One worker, 10 s epochs, no recovery, no cluster, the process's stdin and stdout. */
    public static RunOptions defaults() {
        return new RunOptions(1, DEFAULT_EPOCH_INTERVAL, null, System.out, System.in, DEFAULT_MAX_IN_FLIGHT, null);
    }

    public RunOptions withWorkers(int n) {
        return new RunOptions(n, epochInterval, recovery, stdout, stdin, maxInFlight, cluster, snapshotInterval, events);
    }

    public RunOptions withEpochInterval(Duration d) {
        return new RunOptions(workers, d, recovery, stdout, stdin, maxInFlight, cluster, snapshotInterval, events);
    }

    public RunOptions withRecovery(RecoveryStore store) {
        return new RunOptions(workers, epochInterval, store, stdout, stdin, maxInFlight, cluster, snapshotInterval, events);
    }

    public RunOptions withStdio(PrintStream out, InputStream in) {
        return new RunOptions(workers, epochInterval, recovery, out, in, maxInFlight, cluster, snapshotInterval, events);
    }

    public RunOptions withMaxInFlight(int n) {
        return new RunOptions(workers, epochInterval, recovery, stdout, stdin, n, cluster, snapshotInterval, events);
    }

    public RunOptions withSnapshotInterval(Duration d) {
        return new RunOptions(workers, epochInterval, recovery, stdout, stdin, maxInFlight, cluster, d, events);
    }

    /**
     * How many epochs a snapshot period spans: the snapshot interval over the epoch interval,
     * rounded up, at least 1.
     */
    public long snapshotEpochs() {
        if (snapshotInterval == null) {
            return 1;
        }
        long e = Math.max(1, epochInterval.toMillis());
        return Math.max(1, (snapshotInterval.toMillis() + e - 1) / e);
    }

    public RunOptions withCluster(Links links) {
        return new RunOptions(workers, epochInterval, recovery, stdout, stdin, maxInFlight, links, snapshotInterval, events);
    }

    public RunOptions withEvents(RunEvents e) {
        return new RunOptions(workers, epochInterval, recovery, stdout, stdin, maxInFlight, cluster, snapshotInterval, e);
    }
}
