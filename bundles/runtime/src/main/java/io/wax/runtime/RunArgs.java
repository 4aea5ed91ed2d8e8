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
              -w, --workers-per-process N   worker threads in this process (default 1)   WAX_WORKERS_PER_PROCESS
              -i, --process-id I            this process's index in --addresses          WAX_PROCESS_ID
              -a, --addresses "H:P;H:P"     every process of the cluster, ';'-separated  WAX_ADDRESSES
              -r, --recovery-directory DIR  enable recovery, keeping state in DIR        WAX_RECOVERY_DIRECTORY
              -s, --snapshot-interval D     how often state is snapshotted (needs -r)    WAX_SNAPSHOT_INTERVAL
              -b, --backup-interval D       how long old snapshots are kept (needs -r)   WAX_BACKUP_INTERVAL
                  --epoch-interval D        epoch length (default 10s)                   WAX_EPOCH_INTERVAL
              -h, --help                    this text
              D is a duration such as 500ms, 10s, 2m or 1h; a bare number means seconds.
              Cluster (-i, -a) and recovery (-r, -s, -b) flags are checked but not available yet.
            """;

    /** A flag: its short and long names and its environment twin. */
    private enum Flag {
        WORKERS("-w", "--workers-per-process", "WAX_WORKERS_PER_PROCESS"),
        PROCESS_ID("-i", "--process-id", "WAX_PROCESS_ID"),
        ADDRESSES("-a", "--addresses", "WAX_ADDRESSES"),
        RECOVERY_DIRECTORY("-r", "--recovery-directory", "WAX_RECOVERY_DIRECTORY"),
        SNAPSHOT_INTERVAL("-s", "--snapshot-interval", "WAX_SNAPSHOT_INTERVAL"),
        BACKUP_INTERVAL("-b", "--backup-interval", "WAX_BACKUP_INTERVAL"),
        EPOCH_INTERVAL(null, "--epoch-interval", "WAX_EPOCH_INTERVAL");

        final String shortName;
        final String longName;
        final String env;

        Flag(String shortName, String longName, String env) {
            this.shortName = shortName;
            this.longName = longName;
            this.env = env;
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
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
                continue;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            Flag flag = null;
            String value = null;
            for (Flag f : Flag.values()) {
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
        return new RunArgs(positional.isEmpty() ? null : positional.get(0), flags(values, sources), help);
    }

    private static RunFlags flags(Map<Flag, String> v, Map<Flag, String> src) {
        int workers = v.containsKey(Flag.WORKERS) ? integer(src.get(Flag.WORKERS), v.get(Flag.WORKERS)) : 1;
        if (workers < 1) {
            throw new UsageException(src.get(Flag.WORKERS) + " must be at least 1, got " + workers);
        }
        List<String> addresses = v.containsKey(Flag.ADDRESSES) ? addresses(src.get(Flag.ADDRESSES), v.get(Flag.ADDRESSES)) : List.of();
        Integer processId = v.containsKey(Flag.PROCESS_ID) ? integer(src.get(Flag.PROCESS_ID), v.get(Flag.PROCESS_ID)) : null;
        if (processId != null && addresses.isEmpty()) {
            throw new UsageException(src.get(Flag.PROCESS_ID) + " requires -a/--addresses: the id is an index into the cluster's addresses");
        }
        if (processId == null && !addresses.isEmpty()) {
            throw new UsageException(src.get(Flag.ADDRESSES) + " requires -i/--process-id: which of the addresses is this process?");
        }
        if (processId != null && (processId < 0 || processId >= addresses.size())) {
            throw new UsageException(src.get(Flag.PROCESS_ID) + " must be between 0 and " + (addresses.size() - 1)
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
        if (snapshot != null && epoch != null && !snapshot.equals(epoch)) {
            throw new UsageException("--epoch-interval (" + Durations.format(epoch) + ") and -s/--snapshot-interval ("
                    + Durations.format(snapshot) + ") disagree: snapshots are taken at epoch ends, set only one");
        }
        Duration epochInterval = epoch != null ? epoch : snapshot != null ? snapshot : RunFlags.DEFAULT_EPOCH_INTERVAL;
        return new RunFlags(workers, epochInterval, processId, addresses, recovery, snapshot, backup);
    }

    private static Duration duration(Map<Flag, String> v, Map<Flag, String> src, Flag f) {
        return v.containsKey(f) ? Durations.parse(src.get(f), v.get(f)) : null;
    }

    private static int integer(String flag, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a whole number, got '" + text + "'");
        }
    }

    private static List<String> addresses(String flag, String text) {
        List<String> out = new ArrayList<>();
        for (String a : text.split(";")) {
            String addr = a.trim();
            if (addr.isEmpty()) {
                continue;
            }
            int colon = addr.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(addr.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
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
