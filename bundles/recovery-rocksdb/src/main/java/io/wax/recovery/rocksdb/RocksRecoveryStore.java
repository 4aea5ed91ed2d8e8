package io.wax.recovery.rocksdb;

import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.RecoveryStores;
import io.wax.spi.recovery.Snapshot;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A recovery store over N RocksDB partitions. Snapshots go to the partition of a stable hash of
 * (step, key), independent of worker counts, so a store resumes at any worker count. A worker's
 * commit writes, per partition, its snapshots there and its new frontier in one {@link WriteBatch}.
 *
 * <p>Garbage collection keeps every snapshot of the last {@code backupEpochs} closed epochs before
 * the lowest frontier, and exactly one older snapshot per key: the one a resume there would load.
 * It visits only keys written lately (plus, after a restart, keys found with several snapshots), so
 * its cost follows the write rate, not the store's size. It deletes by exact key from the epochs it
 * remembers each such key has stored, without reading: iterating over a key's snapshots steps over
 * the tombstones of its earlier deletes until a compaction drops them, which made a commit of 10,000
 * keys grow to a second after 100 epochs. A key it has no list for is read once, up to the first
 * epoch this execution wrote for it.
 */
final class RocksRecoveryStore implements DurableStore {
    private final List<Partition> parts;
    private final RecoveryStores.Request request;
    /** Per partition: a lately written key's (step, key) prefix -> the epochs it has stored. */
    private final List<Map<ByteBuffer, Stored>> uncollected = new ArrayList<>();
    /**
     * Per partition: whether a key with no entry in {@link #uncollected} may still have a snapshot
     * stored (the partition had snapshots when the execution began, or GC forgot an idle key).
     */
    private final boolean[] mayHoldUnlisted;
    private long seq = -1;
    private long generation;
    private long resumeEpoch = 1;
    private long[] frontiers = new long[0];
    private long collectedBefore;
    private boolean closed;

    RocksRecoveryStore(List<Partition> parts, RecoveryStores.Request request) {
        this.parts = parts;
        this.request = request;
        for (int i = 0; i < parts.size(); i++) {
            uncollected.add(new HashMap<>());
        }
        mayHoldUnlisted = new boolean[parts.size()];
    }

    @Override
    public synchronized long begin(long executionId, int workerCount) {
        if (seq >= 0 && executionId == generation) {
            return resumeEpoch;
        }
        try {
            TreeMap<Long, Executions.Row> rows = Executions.all(parts);
            Executions.Row last = rows.isEmpty() ? null : rows.lastEntry().getValue();
            long resume = Executions.resumeEpoch(parts, last);
            for (int i = 0; i < parts.size(); i++) {
                sweep(i, resume);
            }
            long next = last == null ? 0 : last.seq() + 1;
            Executions.Row row = new Executions.Row(next, executionId, workerCount, resume);
            byte[] steps = Keys.utf8(String.join("\n", new java.util.TreeSet<>(request.statefulSteps())));
            for (Partition p : parts) {
                try (WriteBatch b = new WriteBatch()) {
                    b.put(Keys.execution(next), row.value());
                    b.put(Keys.meta(Keys.META_FLOW), Keys.utf8(request.flowId()));
                    b.put(Keys.meta(Keys.META_STEPS), steps);
                    p.write(b);
                }
            }
            seq = next;
            generation = executionId;
            resumeEpoch = resume;
            frontiers = new long[workerCount];
            Arrays.fill(frontiers, resume);
            collectedBefore = 0;
            return resume;
        } catch (RocksDBException e) {
            throw failed("starting an execution", e);
        }
    }

    /**
     * Deletes snapshots at or after the resume epoch, which an execution wrote past the point it is
     * resumed from: the new execution writes those epochs again, and a key it does not touch must
     * not bring back a value from the abandoned run. Notes keys with several snapshots for the GC.
     */
    private void sweep(int i, long resume) throws RocksDBException {
        Partition p = parts.get(i);
        byte[] start = {Keys.SNAPSHOT};
        uncollected.get(i).clear();
        mayHoldUnlisted[i] = false;
        try (RocksIterator it = p.iterator(); WriteBatch b = new WriteBatch()) {
            byte[] prev = null;
            Stored epochs = new Stored(true);
            for (it.seek(start); it.isValid() && it.key()[0] == Keys.SNAPSHOT; it.next()) {
                byte[] k = it.key();
                long epoch = Keys.epochOf(k);
                if (epoch >= resume) {
                    b.delete(k);
                    continue;
                }
                mayHoldUnlisted[i] = true;
                byte[] prefix = Keys.prefixOf(k);
                if (prev == null || !Arrays.equals(prev, prefix)) {
                    noteIfSeveral(i, prev, epochs);
                    prev = prefix;
                    epochs = new Stored(true);
                }
                epochs.add(epoch);
            }
            noteIfSeveral(i, prev, epochs);
            if (b.count() > 0) {
                p.write(b);
            }
        }
    }

    private void noteIfSeveral(int i, byte[] prefix, Stored epochs) {
        if (prefix != null && epochs.n > 1) {
            uncollected.get(i).put(ByteBuffer.wrap(prefix), epochs);
        }
    }

    /** The epochs of one key's stored snapshots, oldest first, as far as this store knows them. */
    private static final class Stored {
        long[] epochs = new long[4];
        int n;
        /** Whether these are all its stored epochs; if not, older ones may be stored before {@code epochs[0]}. */
        boolean complete;
        /** Whether the last collection found nothing of it left to collect. */
        boolean idle;

        Stored(boolean complete) {
            this.complete = complete;
        }

        /** Adds an epoch, oldest first (a key's owner writes its epochs in order; a repeat overwrites). */
        void add(long epoch) {
            idle = false;
            int at = n;
            while (at > 0 && epochs[at - 1] >= epoch) {
                if (epochs[at - 1] == epoch) {
                    return;
                }
                at--;
            }
            if (n == epochs.length) {
                epochs = Arrays.copyOf(epochs, n * 2);
            }
            System.arraycopy(epochs, at, epochs, at + 1, n - at);
            epochs[at] = epoch;
            n++;
        }

        /** Drops the first {@code k} epochs. */
        void dropFirst(int k) {
            System.arraycopy(epochs, k, epochs, 0, n - k);
            n -= k;
        }
    }

    @Override
    public Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
        Map<String, byte[]> all = loadAll(stepId);
        all.keySet().removeIf(key -> RecoveryStore.owner(key, workerCount) != workerIndex);
        return all;
    }

    @Override
    public Map<String, byte[]> loadAll(String stepId) {
        long resume;
        synchronized (this) {
            resume = resumeEpoch;
        }
        byte[] sp = Keys.step(stepId);
        Map<String, byte[]> out = new HashMap<>();
        for (Partition p : parts) {
            // Keys come oldest epoch first, so the last one before the resume epoch wins.
            try (RocksIterator it = p.iterator()) {
                for (it.seek(sp); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!Keys.startsWith(k, sp)) {
                        break;
                    }
                    if (Keys.epochOf(k) >= resume) {
                        continue;
                    }
                    String key = Keys.keyOf(k, sp.length);
                    byte[] v = it.value();
                    if (v.length > 0 && v[0] == 1) {
                        out.put(key, Arrays.copyOfRange(v, 1, v.length));
                    } else {
                        out.remove(key);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void commit(int worker, long frontier, List<Snapshot> snapshots) {
        if (closed) {
            throw new RecoveryException("the recovery store at " + request.directory() + " is closed");
        }
        int n = parts.size();
        WriteBatch[] batches = new WriteBatch[n];
        try {
            for (int i = 0; i < n; i++) {
                batches[i] = new WriteBatch();
            }
            for (Snapshot s : snapshots) {
                int i = Keys.partitionOf(s.stepId(), s.key(), n);
                byte[] prefix = Keys.stepKey(s.stepId(), s.key());
                byte[] value;
                if (s.state() == null) {
                    value = new byte[] {0};
                } else {
                    value = new byte[s.state().length + 1];
                    value[0] = 1;
                    System.arraycopy(s.state(), 0, value, 1, s.state().length);
                }
                batches[i].put(Keys.snapshot(prefix, s.epoch()), value);
                boolean listed = !mayHoldUnlisted[i];
                uncollected.get(i).computeIfAbsent(ByteBuffer.wrap(prefix), k -> new Stored(listed)).add(s.epoch());
            }
            byte[] f = Keys.longBytes(frontier);
            for (int i = 0; i < n; i++) {
                batches[i].put(Keys.frontier(seq, worker), f);
                parts.get(i).write(batches[i]);
            }
            frontiers[worker] = Math.max(frontiers[worker], frontier);
            collect();
        } catch (RocksDBException e) {
            throw failed("writing worker " + worker + "'s snapshots", e);
        } finally {
            for (WriteBatch b : batches) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /** Drops snapshots no resume can need any more, once the lowest frontier has moved. */
    private void collect() throws RocksDBException {
        long lowest = Long.MAX_VALUE;
        for (long f : frontiers) {
            lowest = Math.min(lowest, f);
        }
        long before = lowest - request.backupEpochs();
        if (before <= collectedBefore) {
            return;
        }
        collectedBefore = before;
        for (int i = 0; i < parts.size(); i++) {
            Map<ByteBuffer, Stored> keys = uncollected.get(i);
            if (keys.isEmpty()) {
                continue;
            }
            try (RocksIterator it = parts.get(i).iterator(); WriteBatch b = new WriteBatch()) {
                for (Iterator<Map.Entry<ByteBuffer, Stored>> e = keys.entrySet().iterator(); e.hasNext(); ) {
                    Map.Entry<ByteBuffer, Stored> entry = e.next();
                    byte[] prefix = entry.getKey().array();
                    Stored stored = entry.getValue();
                    if (!stored.complete) {
                        listOlder(it, prefix, stored);
                    }
                    // Every snapshot before the horizon goes, except the newest of them.
                    int below = 0;
                    while (below < stored.n && stored.epochs[below] < before) {
                        below++;
                    }
                    for (int k = 0; k < below - 1; k++) {
                        b.delete(Keys.snapshot(prefix, stored.epochs[k]));
                    }
                    if (below > 1) {
                        stored.dropFirst(below - 1);
                    }
                    if (stored.n == 1 && stored.epochs[0] < before) {
                        // Nothing to collect until it is written again. A key written every period
                        // keeps its entry; one left idle for two collections is forgotten, and read
                        // once if it is written again.
                        if (stored.idle) {
                            e.remove();
                            mayHoldUnlisted[i] = true;
                        }
                        stored.idle = true;
                    }
                }
                b.put(Keys.commit(), Keys.longBytes(before));
                parts.get(i).write(b);
            }
        }
    }

    /**
     * Adds the epochs stored for a key before the first one this execution wrote, which is stored
     * (only collection deletes, and it has not collected this key): the read ends there, so it never
     * steps over another key's tombstones.
     */
    private static void listOlder(RocksIterator it, byte[] prefix, Stored stored) {
        long first = stored.epochs[0];
        for (it.seek(Keys.snapshot(prefix, 0)); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
            long epoch = Keys.epochOf(it.key());
            if (epoch >= first) {
                break;
            }
            stored.add(epoch);
        }
        stored.complete = true;
    }

    private RecoveryException failed(String what, RocksDBException e) {
        return new RecoveryException("the recovery store at " + request.directory() + " failed " + what + ": "
                + e.getMessage() + "; check the disk (space, permissions) and resume the flow, which starts again"
                + " from the last complete snapshot", e);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Partition p : parts) {
            p.close();
        }
    }
}
