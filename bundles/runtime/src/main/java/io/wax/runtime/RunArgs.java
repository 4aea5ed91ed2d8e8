package io.wax.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one parser of {@code run GETTER [flags]} for both {@code bin/wax run} and {@code wax:run}.
 * Short flags take their value attached or separate ({@code -w3}, {@code -w 3}), long flags
 * separate or after {@code =} ({@code --workers-per-process 3}, {@code --workers-per-process=3}).
 * Each flag has an environment twin ({@code WAX_WORKERS_PER_PROCESS}, ...); a flag on the command
 * line wins over its variable.
 *
 * @param getter the flow getter, or {@code null} when only help was asked for
 * @param flags the validated flags
 * @param help whether {@code -h}/{@code --help} was given
 */
public record RunArgs(String getter, RunFlags flags, boolean help) {
    public static final String USAGE = """
            usage: wax run GETTER [flags]
              GETTER is a deployed flow's name, or NAME(arg, ...) for a flow with parameters,
              e.g. simple or 'parametric(10)' (quote it for the shell).
            flags (each also read from its environment variable):
              -w, --workers-per-process N   worker threads in this process (1-256, default 1) WAX_WORKERS_PER_PROCESS
              -i, --process-id I            this process's index in --addresses          WAX_PROCESS_ID
                                            (-i ordinal: from the host name NAME-N of a StatefulSet pod)
              -a, --addresses "H:P;H:P"     every process of the cluster, ';'-separated  WAX_ADDRESSES
                  --addresses-from PATTERN  instead of -a: PATTERN with {i} = 0 .. N-1   WAX_ADDRESSES_FROM
                  --processes N             how many processes --addresses-from gives    WAX_PROCESSES
                                            e.g. --addresses-from "wax-{i}.wax:2101" --processes 3
              -r, --recovery-directory DIR  enable recovery, keeping state in DIR        WAX_RECOVERY_DIRECTORY
              -s, --snapshot-interval D     how often state is snapshotted (needs -r;    WAX_SNAPSHOT_INTERVAL
                                            default: every epoch)
              -b, --backup-interval D       how long old snapshots are kept (needs -r)   WAX_BACKUP_INTERVAL
                  --allow-new-steps         stateful steps new since the last snapshot   WAX_ALLOW_NEW_STEPS=true
                                            start empty (needs -r)
                  --epoch-interval D        epoch length (default 10s; 0: one per batch) WAX_EPOCH_INTERVAL
                  --metrics-port P          serve /metrics, /status and a web view on P  WAX_METRICS_PORT
                  --metrics-host H          the address for P (default 127.0.0.1)        WAX_METRICS_HOST
                  --cluster-timeout D       how long to wait for every peer (default 30s) WAX_CLUSTER_TIMEOUT
                  --cluster-secret-file F   the cluster's shared secret, read from F     WAX_CLUSTER_SECRET_FILE
                                            (or the secret itself in WAX_CLUSTER_SECRET)
                  --tls-cert F, --tls-key F, --tls-ca F   mutual TLS between processes   WAX_TLS_CERT, ...
              -h, --help                    this text
              D is a duration such as 500ms, 10s, 2m or 1h; a bare number means seconds.
              A recovery directory is made once with: wax recovery init DIR N
              A flag may be given once; on the command line it wins over its variable.
            """;

    /** A flag: its short and long names and its environment twin. */
    private enum Flag {
        WORKERS("-w", "--workers-per-process", "WAX_WORKERS_PER_PROCESS", "give a number of worker threads, e.g. -w2"),
        PROCESS_ID("-i", "--process-id", "WAX_PROCESS_ID", "give this process's index in --addresses, e.g. -i0"),
        ADDRESSES("-a", "--addresses", "WAX_ADDRESSES", "give every process's HOST:PORT, separated by ';'"),
        ADDRESSES_FROM(null, "--addresses-from", "WAX_ADDRESSES_FROM", "give a pattern such as \"wax-{i}.wax:2101\""),
        PROCESSES(null, "--processes", "WAX_PROCESSES", "give the number of processes, e.g. --processes 3"),
        RECOVERY_DIRECTORY("-r", "--recovery-directory", "WAX_RECOVERY_DIRECTORY",
                "give the directory of the recovery partitions, e.g. -r state/"),
        SNAPSHOT_INTERVAL("-s", "--snapshot-interval", "WAX_SNAPSHOT_INTERVAL", "give a duration such as 10s"),
        BACKUP_INTERVAL("-b", "--backup-interval", "WAX_BACKUP_INTERVAL", "give a duration such as 10m"),
        EPOCH_INTERVAL(null, "--epoch-interval", "WAX_EPOCH_INTERVAL", "give a duration such as 10s"),
        METRICS_PORT(null, "--metrics-port", "WAX_METRICS_PORT", "give a port number, e.g. --metrics-port 9100"),
        METRICS_HOST(null, "--metrics-host", "WAX_METRICS_HOST", "give an address to serve metrics on, e.g. 0.0.0.0"),
        CLUSTER_TIMEOUT(null, "--cluster-timeout", "WAX_CLUSTER_TIMEOUT", "give a duration such as 30s"),
        // The secret itself only from the environment: a command line is visible to every user of the machine (ps).
        CLUSTER_SECRET(null, null, "WAX_CLUSTER_SECRET", "give the cluster's shared secret"),
        CLUSTER_SECRET_FILE(null, "--cluster-secret-file", "WAX_CLUSTER_SECRET_FILE", "give a file holding the cluster's shared secret"),
        TLS_CERT(null, "--tls-cert", "WAX_TLS_CERT", "give this process's certificate, a PEM file"),
        TLS_KEY(null, "--tls-key", "WAX_TLS_KEY", "give this process's private key, a PEM (PKCS#8) file"),
        TLS_CA(null, "--tls-ca", "WAX_TLS_CA", "give the cluster's CA certificate, a PEM file");

        final String shortName;
        final String longName;
        final String env;
        /** What to write instead of an empty value. */
        final String missing;

        Flag(String shortName, String longName, String env, String missing) {
            this.shortName = shortName;
            this.longName = longName;
            this.env = env;
            this.missing = missing;
        }

        String names() {
            return shortName == null ? longName : shortName + "/" + longName;
        }
    }

    /**
     * Parses the arguments after {@code run}.
     *
     * @param env the environment (usually {@link System#getenv()}) for the flags' twins
     * @throws UsageException for an unknown flag, a missing or malformed value, or inconsistent flags
     */
    public static RunArgs parse(List<String> args, Map<String, String> env) {
        Map<Flag, String> values = new LinkedHashMap<>();
        Map<Flag, String> sources = new LinkedHashMap<>();
        for (Flag f : Flag.values()) {
            String v = env.get(f.env);
            if (v != null && !v.isBlank()) {
                values.put(f, v);
                sources.put(f, f.env);
            }
        }
        List<String> positional = new ArrayList<>();
        Map<Flag, String> given = new LinkedHashMap<>();
        boolean help = false;
        String allowNew = env.get("WAX_ALLOW_NEW_STEPS");
        boolean allowNewSteps = allowNew != null && (allowNew.strip().equals("true") || allowNew.strip().equals("1"));
        if (allowNew != null && !allowNew.isBlank() && !allowNewSteps && !allowNew.strip().equals("false") && !allowNew.strip().equals("0")) {
            throw new UsageException("WAX_ALLOW_NEW_STEPS must be true or false, got '" + allowNew + "'");
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
                continue;
            }
            if (a.equals("--allow-new-steps")) {
                allowNewSteps = true;
                continue;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            Flag flag = null;
            String value = null;
            for (Flag f : Flag.values()) {
                if (f.longName == null) {
                    continue; // environment only
                }
                if (a.equals(f.longName) || a.equals(f.shortName)) {
                    flag = f;
                } else if (a.startsWith(f.longName + "=")) {
                    flag = f;
                    value = a.substring(f.longName.length() + 1);
                } else if (f.shortName != null && a.startsWith(f.shortName) && !a.startsWith("--")) {
                    flag = f;
                    value = a.substring(2);
                }
                if (flag != null) {
                    break;
                }
            }
            if (flag == null) {
                throw new UsageException("unknown flag '" + a + "'");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(flag.names() + " needs a value");
                }
                value = args.get(++i);
            }
            String before = given.put(flag, a);
            if (before != null) {
                throw new UsageException(flag.names() + " is given twice ('" + before + "' and '" + a + "'); give it once");
            }
            if (value.isBlank()) {
                throw new UsageException(flag.names() + " is empty: " + flag.missing);
            }
            values.put(flag, value);
            sources.put(flag, flag.names());
        }
        if (positional.size() > 1) {
            throw new UsageException("expected one flow getter, got " + positional.size() + ": " + String.join(" ", positional)
                    + " (quote a getter that contains spaces)");
        }
        if (positional.isEmpty() && !help) {
            throw new UsageException("which flow? give a flow getter, e.g. wax run simple");
        }
        if (!positional.isEmpty() && positional.get(0).isBlank()) {
            throw new UsageException("the flow getter is empty: give a deployed flow's name, e.g. wax run simple (wax flows lists them)");
        }
        RunFlags flags = flags(values, sources, env);
        if (allowNewSteps) {
            if (flags.recoveryDirectory() == null) {
                throw new UsageException("--allow-new-steps requires -r/--recovery-directory: it concerns the steps a recovery store holds");
            }
            flags = flags.withAllowNewSteps(true);
        }
        return new RunArgs(positional.isEmpty() ? null : positional.get(0), flags, help);
    }

    private static RunFlags flags(Map<Flag, String> v, Map<Flag, String> src, Map<String, String> env) {
        int workers = v.containsKey(Flag.WORKERS) ? integer(src.get(Flag.WORKERS), v.get(Flag.WORKERS)) : 1;
        if (workers < 1) {
            throw new UsageException(src.get(Flag.WORKERS) + " must be at least 1, got " + workers);
        }
        if (workers > RunFlags.MAX_WORKERS) {
            throw new UsageException(src.get(Flag.WORKERS) + " is too large: at most " + RunFlags.MAX_WORKERS
                    + " workers per process, got " + workers + " (more workers than cores only add overhead;"
                    + " run more processes for more)");
        }
        List<String> addresses = clusterAddresses(v, src);
        String idSource = src.get(Flag.PROCESS_ID);
        Integer processId = null;
        if (v.containsKey(Flag.PROCESS_ID)) {
            String id = v.get(Flag.PROCESS_ID).strip();
            if (id.equals(StatefulSet.ORDINAL)) {
                String host = env.get("HOSTNAME");
                try {
                    processId = StatefulSet.ordinal(host);
                } catch (UsageException e) {
                    throw new UsageException(idSource + " " + StatefulSet.ORDINAL + " " + e.getMessage());
                }
                idSource += " (the ordinal of host name '" + host.strip() + "')";
            } else {
                processId = integer(idSource, id);
            }
        }
        if (processId != null && addresses.isEmpty()) {
            throw new UsageException(idSource + " requires -a/--addresses (or --addresses-from with --processes):"
                    + " the id is an index into the cluster's addresses");
        }
        if (processId == null && !addresses.isEmpty()) {
            throw new UsageException(src.getOrDefault(Flag.ADDRESSES, src.get(Flag.ADDRESSES_FROM))
                    + " requires -i/--process-id: which of the addresses is this process? (-i ordinal in a StatefulSet)");
        }
        if (processId != null && (processId < 0 || processId >= addresses.size())) {
            throw new UsageException(idSource + " must be between 0 and " + (addresses.size() - 1)
                    + " for " + addresses.size() + " addresses, got " + processId);
        }
        String recovery = v.get(Flag.RECOVERY_DIRECTORY);
        Duration snapshot = duration(v, src, Flag.SNAPSHOT_INTERVAL);
        Duration backup = duration(v, src, Flag.BACKUP_INTERVAL);
        Duration epoch = duration(v, src, Flag.EPOCH_INTERVAL);
        for (Flag f : List.of(Flag.SNAPSHOT_INTERVAL, Flag.BACKUP_INTERVAL)) {
            if (v.containsKey(f) && recovery == null) {
                throw new UsageException(src.get(f) + " requires -r/--recovery-directory: snapshots are kept there");
            }
        }
        // Separate settings (Bytewax #353): a snapshot is taken at the first epoch close after each -s.
        Duration epochInterval = epoch != null ? epoch : RunFlags.DEFAULT_EPOCH_INTERVAL;
        int metricsPort = 0;
        if (v.containsKey(Flag.METRICS_PORT)) {
            metricsPort = integer(src.get(Flag.METRICS_PORT), v.get(Flag.METRICS_PORT));
            if (metricsPort < 1 || metricsPort > 65535) {
                throw new UsageException(src.get(Flag.METRICS_PORT) + " must be a port from 1 to 65535, got " + metricsPort);
            }
        }
        String metricsHost = v.containsKey(Flag.METRICS_HOST) ? v.get(Flag.METRICS_HOST).strip() : null;
        if (metricsHost != null && metricsPort == 0) {
            throw new UsageException(src.get(Flag.METRICS_HOST) + " requires --metrics-port: the port to serve metrics on");
        }
        return new RunFlags(workers, epochInterval, processId, addresses, recovery, snapshot, backup)
                .withMetrics(metricsPort, metricsHost)
                .withCluster(processId == null ? ClusterOptions.DEFAULTS : cluster(v, src));
    }

    /** The cluster's timeout and security: checked only for a process of a cluster (a variable set for every run is harmless). */
    private static ClusterOptions cluster(Map<Flag, String> v, Map<Flag, String> src) {
        Duration timeout = duration(v, src, Flag.CLUSTER_TIMEOUT);
        String secret = v.get(Flag.CLUSTER_SECRET);
        if (v.containsKey(Flag.CLUSTER_SECRET_FILE)) {
            if (secret != null) {
                throw new UsageException("WAX_CLUSTER_SECRET and " + src.get(Flag.CLUSTER_SECRET_FILE)
                        + " both give the cluster's secret: give one of them");
            }
            java.nio.file.Path file = java.nio.file.Path.of(v.get(Flag.CLUSTER_SECRET_FILE).strip());
            try {
                secret = java.nio.file.Files.readString(file).strip();
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new UsageException(src.get(Flag.CLUSTER_SECRET_FILE) + " cannot read " + file + " ("
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
            }
            if (secret.isEmpty()) {
                throw new UsageException(src.get(Flag.CLUSTER_SECRET_FILE) + " " + file + " is empty: put the cluster's secret in it");
            }
        }
        List<Flag> tls = List.of(Flag.TLS_CERT, Flag.TLS_KEY, Flag.TLS_CA);
        List<String> given = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Flag f : tls) {
            (v.containsKey(f) ? given : missing).add(f.longName);
        }
        if (!given.isEmpty() && !missing.isEmpty()) {
            throw new UsageException("TLS needs --tls-cert, --tls-key and --tls-ca together: " + String.join(", ", missing)
                    + (missing.size() > 1 ? " are" : " is") + " missing");
        }
        java.nio.file.Path[] paths = new java.nio.file.Path[3];
        for (int i = 0; i < 3 && given.size() == 3; i++) {
            paths[i] = java.nio.file.Path.of(v.get(tls.get(i)).strip());
            if (!java.nio.file.Files.isReadable(paths[i])) {
                throw new UsageException(src.get(tls.get(i)) + " cannot read " + paths[i] + ": no such file, or not readable");
            }
        }
        return new ClusterOptions(timeout == null ? ClusterOptions.DEFAULT_TIMEOUT : timeout, secret, paths[0], paths[1], paths[2]);
    }

    private static Duration duration(Map<Flag, String> v, Map<Flag, String> src, Flag f) {
        return v.containsKey(f) ? Durations.parse(src.get(f), v.get(f), f == Flag.EPOCH_INTERVAL) : null;
    }

    private static int integer(String flag, String text) {
        String t = text.trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            if (t.matches("[-+]?\\d+")) {
                throw new UsageException(flag + " is too " + (t.startsWith("-") ? "small" : "large") + ": got " + t);
            }
            throw new UsageException(flag + " needs a whole number, got '" + text + "'");
        }
    }

    /**
     * The cluster's addresses from {@code -a}, or from {@code --addresses-from} and
     * {@code --processes} (a StatefulSet's pods behind a headless service); empty when alone.
     */
    private static List<String> clusterAddresses(Map<Flag, String> v, Map<Flag, String> src) {
        boolean fromPattern = v.containsKey(Flag.ADDRESSES_FROM);
        if (fromPattern && v.containsKey(Flag.ADDRESSES)) {
            throw new UsageException(src.get(Flag.ADDRESSES) + " and " + src.get(Flag.ADDRESSES_FROM)
                    + " both give the cluster's addresses: give one of them");
        }
        if (fromPattern && !v.containsKey(Flag.PROCESSES)) {
            throw new UsageException(src.get(Flag.ADDRESSES_FROM) + " requires --processes N: how many processes the pattern stands for");
        }
        if (!fromPattern && v.containsKey(Flag.PROCESSES)) {
            throw new UsageException(src.get(Flag.PROCESSES) + " requires --addresses-from: the pattern of every process's HOST:PORT,"
                    + " e.g. \"wax-{i}.wax:2101\"");
        }
        if (!fromPattern) {
            return v.containsKey(Flag.ADDRESSES) ? addresses(src.get(Flag.ADDRESSES), v.get(Flag.ADDRESSES)) : List.of();
        }
        int processes = integer(src.get(Flag.PROCESSES), v.get(Flag.PROCESSES));
        if (processes < 1 || processes > StatefulSet.MAX_PROCESSES) {
            throw new UsageException(src.get(Flag.PROCESSES) + " must be between 1 and " + StatefulSet.MAX_PROCESSES + ", got " + processes);
        }
        String pattern = v.get(Flag.ADDRESSES_FROM);
        String expanded;
        try {
            expanded = StatefulSet.addresses(pattern, processes);
        } catch (UsageException e) {
            throw new UsageException(src.get(Flag.ADDRESSES_FROM) + " " + e.getMessage());
        }
        for (String addr : expanded.split(";")) {
            if (!isHostPort(addr)) {
                throw new UsageException(src.get(Flag.ADDRESSES_FROM) + " must give HOST:PORT (port 1-65535), e.g. \"wax-{i}.wax:2101\";"
                        + " '" + pattern + "' gives '" + addr + "'");
            }
        }
        return addresses(src.get(Flag.ADDRESSES_FROM), expanded);
    }

    private static boolean isHostPort(String addr) {
        int colon = addr.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            int port = Integer.parseInt(addr.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<String> addresses(String flag, String text) {
        List<String> out = new ArrayList<>();
        for (String a : text.split(";")) {
            String addr = a.trim();
            if (addr.isEmpty()) {
                continue;
            }
            if (!isHostPort(addr)) {
                throw new UsageException(flag + " needs HOST:PORT entries separated by ';' (port 1-65535), got '" + addr + "'");
            }
            out.add(addr);
        }
        if (out.isEmpty()) {
            throw new UsageException(flag + " needs at least one HOST:PORT address");
        }
        return out;
    }
}
