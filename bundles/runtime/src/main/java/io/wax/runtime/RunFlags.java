package io.wax.runtime;

import java.time.Duration;
import java.util.List;

/**
 * The validated flags of a run, the analogue of {@code python -m bytewax.run}'s options.
 *
 * @param workers worker threads in this process ({@code -w})
 * @param epochInterval epoch length ({@code --epoch-interval})
 * @param processId this process's index in {@code addresses} ({@code -i}), or {@code null}
 * @param addresses every process of the cluster ({@code -a}), empty when running alone
 * @param recoveryDirectory the recovery partitions' directory ({@code -r}), or {@code null}
 * @param snapshotInterval {@code -s}, or {@code null}
 * @param backupInterval {@code -b}, or {@code null}
 * @param allowNewSteps {@code --allow-new-steps}: stateful steps the recovery store has no state for may start empty
 * @param metricsPort the port serving {@code /metrics}, {@code /status} and the web view
 *        ({@code --metrics-port}), or 0 for none
 * @param metricsHost the address that port is bound to ({@code --metrics-host}, default loopback)
 * @param cluster how a process of a cluster waits for and authenticates its peers
 */
public record RunFlags(int workers, Duration epochInterval, Integer processId, List<String> addresses,
                       String recoveryDirectory, Duration snapshotInterval, Duration backupInterval,
                       boolean allowNewSteps, int metricsPort, String metricsHost, ClusterOptions cluster) {
    /** Where the metrics port is bound unless {@code --metrics-host} says otherwise: this machine only. */
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";

    public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofSeconds(10);
    /**
     * The most worker threads per process: the engine's frontier messages and per-worker tables
     * grow with the square of the worker count (wordcount at -w1024 takes 12 s to start and stop on
     * two cores), and more workers than cores only add overhead. The engine's own limit.
     */
    public static final int MAX_WORKERS = 256;

    public RunFlags {
        addresses = List.copyOf(addresses);
        if (metricsHost == null) {
            metricsHost = DEFAULT_METRICS_HOST;
        }
        if (cluster == null) {
            cluster = ClusterOptions.DEFAULTS;
        }
    }

    /** Without --allow-new-steps, without metrics, and with the cluster options' defaults. */
    public RunFlags(int workers, Duration epochInterval, Integer processId, List<String> addresses,
                    String recoveryDirectory, Duration snapshotInterval, Duration backupInterval) {
        this(workers, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval, false, 0, null,
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
        return new RunFlags(n, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval,
                allowNewSteps, metricsPort, metricsHost, cluster);
    }

    /** With {@code /metrics} and the web view on {@code host:port}. */
    public RunFlags withMetrics(int port, String host) {
        return new RunFlags(workers, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval,
                allowNewSteps, port, host, cluster);
    }

    /** With {@code --allow-new-steps}. */
    public RunFlags withAllowNewSteps(boolean allow) {
        return new RunFlags(workers, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval,
                allow, metricsPort, metricsHost, cluster);
    }

    /** With the cluster's timeout and security. */
    public RunFlags withCluster(ClusterOptions options) {
        return new RunFlags(workers, epochInterval, processId, addresses, recoveryDirectory, snapshotInterval, backupInterval,
                allowNewSteps, metricsPort, metricsHost, options);
    }

    /**
     * Why these flags cannot run in this version, or {@code null} when they can. Flags that are
     * parsed and checked but not yet supported together are refused here rather than silently
     * ignored; every combination runs in this version (recovery in a cluster included).
     */
    public String unavailable() {
        return null;
    }
}
