package io.wax.recovery.rocksdb;

import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.RecoveryStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The RocksDB recovery stores service. Every check of {@link #open} is made on read-only opens,
 * which neither lock nor write a partition, so a refused store is left exactly as it was.
 */
@Component(service = RecoveryStores.class)
public final class RocksRecoveryStores implements RecoveryStores {
    /** More partitions than this only add open files and per-commit writes. */
    public static final int MAX_PARTITIONS = 1024;

    @Override
    public void init(Path directory, int partitions, boolean force) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new RecoveryException("a recovery store needs 1 to " + MAX_PARTITIONS + " partitions, got " + partitions
                    + "; e.g. bin/wax recovery init " + directory + " 4");
        }
        Path dir = directory.toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new RecoveryException(dir + " is a file, not a directory: give a new directory for the recovery store");
            }
            if (!partitionDirs(dir).isEmpty()) {
                throw new RecoveryException(dir + " already holds a recovery store (" + partitionDirs(dir).size()
                        + " partitions); its partition count is fixed for its life. To start afresh, delete the directory first");
            }
            if (!isEmpty(dir)) {
                throw new RecoveryException(dir + " is not empty: give a new or empty directory for the recovery store");
            }
            if (!force) {
                throw new RecoveryException(dir + " already exists: give a new directory, or add --force to use this empty one");
            }
        }
        List<Path> made = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            checkWritable(dir);
            for (int i = 0; i < partitions; i++) {
                Path part = dir.resolve("part-" + i);
                made.add(part);
                try (Partition p = Partition.create(part); WriteBatch b = new WriteBatch()) {
                    b.put(Keys.meta(Keys.META_PARTITIONS), Keys.intBytes(partitions));
                    b.put(Keys.meta(Keys.META_INDEX), Keys.intBytes(i));
                    p.write(b);
                }
            }
        } catch (IOException | RocksDBException | RecoveryException e) {
            for (Path p : made) {
                deleteTree(p);
            }
            if (e instanceof RecoveryException r) {
                throw r;
            }
            throw new RecoveryException("cannot create a recovery store in " + dir + ": " + e.getMessage()
                    + "; check that the directory is writable and the disk has room", e);
        }
    }

    @Override
    public String info(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        List<Partition> parts = openChecked(dir, true);
        try {
            StringBuilder b = new StringBuilder();
            TreeMap<Long, Executions.Row> rows = Executions.all(parts);
            Executions.Row last = rows.isEmpty() ? null : rows.lastEntry().getValue();
            b.append("recovery store ").append(dir).append('\n');
            b.append("partitions: ").append(parts.size()).append('\n');
            String flow = parts.get(0).metaString(Keys.META_FLOW);
            b.append("flow: ").append(flow == null ? "(none yet)" : flow).append('\n');
            b.append("executions: ").append(rows.size()).append('\n');
            for (Executions.Row r : rows.values()) {
                b.append("  execution ").append(r.seq()).append(": ").append(r.workers()).append(" workers, resumed at epoch ")
                        .append(r.resumeEpoch()).append('\n');
            }
            b.append("worker count: ").append(last == null ? "(none yet)" : String.valueOf(last.workers())).append('\n');
            b.append("resume epoch: ").append(Executions.resumeEpoch(parts, last)).append('\n');
            long snapshots = 0;
            for (Partition p : parts) {
                snapshots += countSnapshots(p);
            }
            b.append("snapshots: ").append(snapshots).append('\n');
            b.append("size on disk: ").append(sizeOf(dir)).append(" bytes\n");
            return b.toString();
        } catch (RocksDBException e) {
            throw new RecoveryException("cannot read the recovery store at " + dir + ": " + e.getMessage(), e);
        } finally {
            parts.forEach(Partition::close);
        }
    }

    @Override
    public DurableStore open(Request request) {
        Path dir = request.directory().toAbsolutePath().normalize();
        Request req = new Request(dir, request.flowId(), request.statefulSteps(), request.allowNewSteps(),
                request.backupEpochs(), request.processId(), request.processCount());
        List<Partition> readOnly = openChecked(dir, true);
        RocksRecoveryStore.Resume resume;
        try {
            checkFlow(dir, readOnly, request);
            if (readOnly.size() < request.processCount()) {
                throw new RecoveryException("the recovery store at " + dir + " has " + readOnly.size() + " partition"
                        + (readOnly.size() == 1 ? "" : "s") + " but the cluster has " + request.processCount()
                        + " processes, and each process writes partitions of its own: make a store with at least "
                        + request.processCount() + " (bin/wax recovery init NEWDIR " + request.processCount()
                        + "), or run with fewer processes");
            }
            // A process of a cluster reads now, before the cluster forms, and writes only after it has
            // (at begin): no process has written yet, so every process reads the same data.
            resume = request.processCount() > 1 ? RocksRecoveryStore.Resume.read(readOnly) : null;
        } catch (RocksDBException e) {
            throw corrupt(readOnly.get(0).dir, e);
        } finally {
            readOnly.forEach(Partition::close);
        }
        Partition[] parts = new Partition[readOnly.size()];
        if (request.processCount() == 1) {
            int[] all = new int[parts.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            openOwn(req, parts, all);
            try {
                resume = RocksRecoveryStore.Resume.read(List.of(parts));
            } catch (RocksDBException e) {
                for (Partition p : parts) {
                    p.close();
                }
                throw corrupt(dir, e);
            }
        }
        return new RocksRecoveryStore(parts, req, resume);
    }

    /**
     * Opens partitions {@code which} of a store to write, into {@code parts}; closes what it opened
     * when one fails (one in use by another run holds a lock).
     */
    static void openOwn(Request request, Partition[] parts, int[] which) {
        Path dir = request.directory();
        for (int i : which) {
            checkWritable(dir.resolve("part-" + i));
        }
        for (int i : which) {
            Path part = dir.resolve("part-" + i);
            try {
                parts[i] = Partition.open(part, false);
            } catch (RocksDBException e) {
                for (int j : which) {
                    if (parts[j] != null) {
                        parts[j].close();
                        parts[j] = null;
                    }
                }
                if (String.valueOf(e.getMessage()).contains("lock")) {
                    throw new RecoveryException("the recovery partition " + part + " is in use (its lock is held): is another run"
                            + " of this flow using " + dir + "? Stop it first; two runs must not share a store"
                            + (request.processCount() > 1 ? ", and two processes of a cluster must not share an id (-i)" : ""), e);
                }
                throw corrupt(part, e);
            }
        }
    }

    /**
     * Refuses a store made by another flow, or whose stateful steps are not this flow's. Each
     * process of a cluster records them in its own partitions: the first partition that has them speaks.
     */
    private static void checkFlow(Path dir, List<Partition> parts, Request request) throws RocksDBException {
        for (Partition p : parts) {
            if (p.metaString(Keys.META_FLOW) != null) {
                checkFlow(dir, p, request);
                return;
            }
        }
    }

    /** Refuses a store made by another flow, or whose stateful steps are not this flow's. */
    private static void checkFlow(Path dir, Partition p, Request request) throws RocksDBException {
        String flow = p.metaString(Keys.META_FLOW);
        if (flow == null) {
            return; // never ran: any flow may use it
        }
        if (!flow.equals(request.flowId())) {
            throw new RecoveryException("the recovery store at " + dir + " was made by flow '" + flow + "', not '"
                    + request.flowId() + "': give each flow a store of its own (bin/wax recovery init NEWDIR N)");
        }
        String stored = p.metaString(Keys.META_STEPS);
        java.util.Set<String> before = new java.util.TreeSet<>();
        if (stored != null && !stored.isEmpty()) {
            before.addAll(List.of(stored.split("\n")));
        }
        java.util.Set<String> gone = new java.util.TreeSet<>(before);
        gone.removeAll(request.statefulSteps());
        java.util.Set<String> added = new java.util.TreeSet<>(request.statefulSteps());
        added.removeAll(before);
        if (!gone.isEmpty()) {
            throw new RecoveryException("flow '" + flow + "' no longer has the stateful step" + (gone.size() == 1 ? " " : "s ")
                    + String.join(", ", gone) + " whose state the recovery store at " + dir + " holds"
                    + (added.isEmpty() ? "" : " (and has new ones: " + String.join(", ", added) + ")")
                    + ": a renamed step would lose its state. Restore the step ids, or start afresh with a new store");
        }
        if (!added.isEmpty() && !request.allowNewSteps()) {
            throw new RecoveryException("flow '" + flow + "' has stateful step" + (added.size() == 1 ? " " : "s ")
                    + String.join(", ", added) + " that the recovery store at " + dir + " has no state for: if "
                    + (added.size() == 1 ? "it is" : "they are") + " new, run with --allow-new-steps to start "
                    + (added.size() == 1 ? "it" : "them") + " empty; if renamed, restore the old id");
        }
    }

    /**
     * Opens every partition after checking the directory: partitions 0 .. N-1, each knowing N and
     * its own index. Closes what it opened when it throws.
     */
    private static List<Partition> openChecked(Path dir, boolean readOnly) {
        if (!Files.isDirectory(dir)) {
            throw new RecoveryException("no recovery store at " + dir + " (no such directory): create one with"
                    + " bin/wax recovery init " + dir + " N (N partitions, e.g. 4)");
        }
        Map<Integer, Path> found = partitionDirs(dir);
        if (found.isEmpty()) {
            throw new RecoveryException("no recovery partitions in " + dir + ": create them with bin/wax recovery init "
                    + dir + " N (N partitions, e.g. 4), or give the directory that holds part-0, part-1, ...");
        }
        List<Partition> parts = new ArrayList<>();
        try {
            Map<Integer, Integer> counts = new TreeMap<>();
            for (Map.Entry<Integer, Path> e : found.entrySet()) {
                Partition p;
                try {
                    p = Partition.open(e.getValue(), readOnly);
                } catch (RocksDBException x) {
                    throw corrupt(e.getValue(), x);
                }
                parts.add(p);
                Integer n;
                Integer index;
                try {
                    n = p.metaInt(Keys.META_PARTITIONS);
                    index = p.metaInt(Keys.META_INDEX);
                } catch (RocksDBException x) {
                    throw corrupt(e.getValue(), x);
                }
                if (n == null || index == null || index.intValue() != e.getKey()) {
                    throw new RecoveryException("the recovery partition " + e.getValue() + " is not a Wax partition or was"
                            + " renamed (it records " + (index == null ? "no index" : "index " + index) + "): restore it from a"
                            + " backup, or start afresh with bin/wax recovery init NEWDIR N");
                }
                counts.put(e.getKey(), n);
            }
            int n = counts.values().iterator().next();
            if (counts.values().stream().anyMatch(c -> c != n)) {
                StringBuilder b = new StringBuilder();
                counts.forEach((i, c) -> b.append(b.length() == 0 ? "" : ", ").append("part-").append(i).append(" says ").append(c));
                throw new RecoveryException("the recovery partitions in " + dir + " disagree on their count (" + b
                        + "): they come from different stores. Restore the directory from one backup");
            }
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!found.containsKey(i)) {
                    missing.add("part-" + i);
                }
            }
            if (!missing.isEmpty()) {
                throw new RecoveryException("the recovery store at " + dir + " has " + n + " partitions but "
                        + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " missing: every partition"
                        + " is needed to resume; restore the directory from a backup");
            }
            List<String> extra = new ArrayList<>();
            found.keySet().stream().filter(i -> i >= n).forEach(i -> extra.add("part-" + i));
            if (!extra.isEmpty()) {
                throw new RecoveryException("the recovery store at " + dir + " has " + n + " partitions, but " + dir
                        + " also holds " + String.join(", ", extra) + " from another store: remove "
                        + (extra.size() == 1 ? "it" : "them") + ", or restore the directory from a backup");
            }
            return parts;
        } catch (RuntimeException e) {
            parts.forEach(Partition::close);
            throw e;
        }
    }

    private static RecoveryException corrupt(Path part, RocksDBException e) {
        return new RecoveryException("the recovery partition " + part + " is corrupt and cannot be opened (" + e.getMessage()
                + "): restore the store's directory from a backup, or start afresh with bin/wax recovery init NEWDIR N", e);
    }

    /** part-I directories by I. */
    private static Map<Integer, Path> partitionDirs(Path dir) {
        Map<Integer, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.matches("part-\\d{1,9}") && Files.isDirectory(p)) {
                    out.put(Integer.parseInt(name.substring(5)), p);
                }
            });
        } catch (IOException e) {
            throw new RecoveryException("cannot list the recovery directory " + dir + ": " + e.getMessage()
                    + "; check its permissions", e);
        }
        return out;
    }

    /**
     * Proves a directory writable by creating a file in it: a permission check alone says yes to
     * root on a read-only or immutable file system.
     */
    private static void checkWritable(Path dir) {
        Path probe = dir.resolve(".wax-write-check");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new RecoveryException("the recovery directory " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "): snapshots could not be stored. Fix its permissions or mount,"
                    + " or give another directory with -r", e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static long countSnapshots(Partition p) {
        long n = 0;
        try (RocksIterator it = p.iterator()) {
            for (it.seek(new byte[] {Keys.SNAPSHOT}); it.isValid() && it.key()[0] == Keys.SNAPSHOT; it.next()) {
                n++;
            }
        }
        return n;
    }

    static long sizeOf(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    // A file that a store opening or running meanwhile removed (its write check, a
                    // compacted table): Files.walk threw NoSuchFileException out of recovery info.
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return -1;
        }
        return total[0];
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort: init failed anyway, and its error says so
        }
    }
}
