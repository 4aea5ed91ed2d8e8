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
 * It visits only keys written since they were last collected (plus, after a restart, keys found with
 * several snapshots), so its cost follows the write rate, not the store's size.
 */
final class RocksRecoveryStore implements DurableStore {
    private final List<Partition> parts;
    private final RecoveryStores.Request request;
    /**
     * Per partition: a written key's (step, key) prefix -> {the newest epoch written for it, the
     * oldest epoch that may still be stored}. Collection seeks to the latter: seeking is cheap, but
     * stepping over the tombstones of earlier deletes costs their number on every visit.
     */
    private final List<Map<ByteBuffer, long[]>> uncollected = new ArrayList<>();
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
        try (RocksIterator it = p.iterator(); WriteBatch b = new WriteBatch()) {
            byte[] prev = null;
            long newest = -1;
            int count = 0;
            for (it.seek(start); it.isValid() && it.key()[0] == Keys.SNAPSHOT; it.next()) {
                byte[] k = it.key();
                long epoch = Keys.epochOf(k);
                if (epoch >= resume) {
                    b.delete(k);
                    continue;
                }
                byte[] prefix = Keys.prefixOf(k);
                if (prev == null || !Arrays.equals(prev, prefix)) {
                    noteIfSeveral(i, prev, newest, count);
                    prev = prefix;
                    count = 0;
                }
                newest = epoch;
                count++;
            }
            noteIfSeveral(i, prev, newest, count);
            if (b.count() > 0) {
                p.write(b);
            }
        }
    }

    private void noteIfSeveral(int i, byte[] prefix, long newest, int count) {
        if (prefix != null && count > 1) {
            uncollected.get(i).put(ByteBuffer.wrap(prefix), new long[] {newest, 0});
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
                long[] marks = uncollected.get(i).computeIfAbsent(ByteBuffer.wrap(prefix), k -> new long[] {s.epoch(), 0});
                marks[0] = Math.max(marks[0], s.epoch());
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
            Map<ByteBuffer, long[]> keys = uncollected.get(i);
            if (keys.isEmpty()) {
                continue;
            }
            try (RocksIterator it = parts.get(i).iterator(); WriteBatch b = new WriteBatch()) {
                for (Iterator<Map.Entry<ByteBuffer, long[]>> e = keys.entrySet().iterator(); e.hasNext(); ) {
                    Map.Entry<ByteBuffer, long[]> entry = e.next();
                    byte[] prefix = entry.getKey().array();
                    long[] marks = entry.getValue();
                    // Every snapshot before the horizon goes, except the newest of them.
                    byte[] older = null;
                    for (it.seek(Keys.snapshot(prefix, marks[1])); it.isValid() && Keys.startsWith(it.key(), prefix)
                            && Keys.epochOf(it.key()) < before; it.next()) {
                        if (older != null) {
                            b.delete(older);
                        }
                        older = it.key();
                        marks[1] = Keys.epochOf(older);
                    }
                    if (marks[0] < before) {
                        e.remove(); // nothing newer to collect until the key is written again
                    }
                }
                b.put(Keys.commit(), Keys.longBytes(before));
                parts.get(i).write(b);
            }
        }
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
