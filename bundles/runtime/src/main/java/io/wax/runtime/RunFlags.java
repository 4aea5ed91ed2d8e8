package io.wax.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated flags of a run, the analogue of {@code python -m bytewax.run}'s options.
 *
 * @param workers worker threads in this process ({@code -w})
 * @param epochInterval epoch length ({@code --epoch-interval}, or {@code -s} when only that is set)
 * @param processId this process's index in {@code addresses} ({@code -i}), or {@code null}
 * @param addresses every process of the cluster ({@code -a}), empty when running alone
 * @param recoveryDirectory the recovery partitions' directory ({@code -r}), or {@code null}
 * @param snapshotInterval {@code -s}, or {@code null}
 * @param backupInterval {@code -b}, or {@code null}
 * @param cluster how a process of a cluster waits for and authenticates its peers
 */
public record RunFlags(int workers, Duration epochInterval, Integer processId, List<String> addresses,
                       String recoveryDirectory, Duration snapshotInterval, Duration backupInterval,
                       ClusterOptions cluster) {
    public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofSeconds(10);
    /**
     * The most worker threads per process: the engine's frontier messages and per-worker tables
     * grow with the square of the worker count (wordcount at -w1024 takes 12 s to start and stop on
     * two cores), and more workers than cores only add overhead. The engine's own limit.
     */
    public static final int MAX_WORKERS = 256;

    public RunFlags {
        addresses = List.copyOf(addresses);
        if (cluster == null) {
            cluster = ClusterOptions.DEFAULTS;
        }
    }

    /** Without cluster options (their defaults). */
    public RunFlags(int workers, Duration epochInterval, Integer processId, List<String> addresses,
                    String recoveryDirectory, Duration snapshotInterval, Duration backupInterval) {
        this(workers, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval,
                ClusterOptions.DEFAULTS);
    }

    /** One worker, 10 s epochs, no cluster, no recovery. */
    public static RunFlags defaults() {
        return new RunFlags(1, DEFAULT_EPOCH_INTERVAL, null, List.of(), null, null, null);
    }

    /** Whether this process is one of a cluster ({@code -i} and {@code -a}). */
    public boolean clustered() {
        return processId != null;
    }

    public RunFlags withWorkers(int n) {
        return new RunFlags(n, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval, cluster);
    }

    /**
     * Why these flags cannot run in this version, or {@code null} when they can. Recovery flags
     * are parsed and checked, then refused here rather than silently ignored.
     */
    public String unavailable() {
        List<String> missing = new ArrayList<>();
        if (recoveryDirectory != null || snapshotInterval != null || backupInterval != null) {
            missing.add("recovery (-r/--recovery-directory, -s/--snapshot-interval, -b/--backup-interval)");
        }
        if (missing.isEmpty()) {
            return null;
        }
        return String.join(" and ", missing) + " is not available yet in this version of Wax; "
                + "run without those flags (and without their WAX_* environment variables)";
    }
}
