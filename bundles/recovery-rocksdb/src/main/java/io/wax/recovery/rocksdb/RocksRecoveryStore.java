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
 * A recovery store over N RocksDB partitions, written by the processes of a cluster: process
 * {@code p} of {@code P} writes the partitions whose index modulo {@code P} is {@code p}, and each
 * of its workers writes one of them (local worker {@code l} the {@code l mod k}-th of its {@code k}),
 * so a worker's snapshots and its new frontier go in one atomic {@link WriteBatch}. A key's state
 * therefore lies in the partition of the worker that owned it when it was written; a resume reads
 * every partition and keeps each key's latest snapshot before the resume epoch, so it resumes at any
 * worker or process count.
 *
 * <p>What a resume needs is read when the store is {@linkplain RocksRecoveryStores#open opened},
 * before the cluster forms (see {@link io.wax.spi.recovery.RecoveryStores#open}); a process of a
 * cluster opens its partitions to write only at {@link #begin}, after it has formed.
 *
 * <p>Garbage collection keeps every snapshot of the last {@code backupEpochs} closed epochs before
 * the durable frontier, and exactly one older snapshot per key and partition: the one a resume
 * there would load. It visits only keys written since they were last collected (plus, after a
 * restart, keys found with several snapshots), so its cost follows the write rate, not the store's
 * size. After a rescale a key may keep one old snapshot in the partition it was written to before.
 */
final class RocksRecoveryStore implements DurableStore {
    /** Every partition, by index; {@code null} where this process does not write (or not yet). */
    private final Partition[] parts;
    private final RecoveryStores.Request request;
    /** The partitions this process writes, in index order. */
    private final int[] own;
    /**
     * Per partition: a written key's (step, key) prefix -> {the newest epoch written for it, the
     * oldest epoch that may still be stored}. Collection seeks to the latter: seeking is cheap, but
     * stepping over the tombstones of earlier deletes costs their number on every visit.
     */
    private final List<Map<ByteBuffer, long[]>> uncollected = new ArrayList<>();
    private Resume resume;
    private long seq = -1;
    private long generation;
    private int workerCount;
    /** This process's workers' frontiers, by global index; others stay at {@code Long.MAX_VALUE}. */
    private long[] frontiers = new long[0];
    /** The frontier every worker of the cluster has committed, as the engine last said. */
    private long durable;
    private long collectedBefore;
    private boolean closed;

    /** What a resume reads from every partition: the last execution, the resume epoch, the state before it. */
    record Resume(Executions.Row last, long epoch, Map<String, Map<String, byte[]>> state) {
        static Resume read(List<Partition> all) throws RocksDBException {
            TreeMap<Long, Executions.Row> rows = Executions.all(all);
            Executions.Row last = rows.isEmpty() ? null : rows.lastEntry().getValue();
            long epoch = Executions.resumeEpoch(all, last);
            // step -> key -> {epoch, state or null when discarded}: the latest before the resume epoch
            Map<String, Map<String, Object[]>> latest = new HashMap<>();
            for (Partition p : all) {
                try (RocksIterator it = p.iterator()) {
                    for (it.seek(new byte[] {Keys.SNAPSHOT}); it.isValid() && it.key()[0] == Keys.SNAPSHOT; it.next()) {
                        byte[] k = it.key();
                        long e = Keys.epochOf(k);
                        if (e >= epoch) {
                            continue;
                        }
                        String step = Keys.stepOf(k);
                        String key = Keys.keyOf(k, Keys.step(step).length);
                        Object[] have = latest.computeIfAbsent(step, x -> new HashMap<>()).get(key);
                        if (have == null || (long) have[0] < e) {
                            byte[] v = it.value();
                            byte[] state = v.length > 0 && v[0] == 1 ? Arrays.copyOfRange(v, 1, v.length) : null;
                            latest.get(step).put(key, new Object[] {e, state});
                        }
                    }
                }
            }
            Map<String, Map<String, byte[]>> state = new HashMap<>();
            latest.forEach((step, keys) -> {
                Map<String, byte[]> m = new HashMap<>();
                keys.forEach((key, es) -> {
                    if (es[1] != null) {
                        m.put(key, (byte[]) es[1]);
                    }
                });
                state.put(step, m);
            });
            return new Resume(last, epoch, state);
        }
    }

    /**
     * @param parts every partition by index, open to write where this process writes now ({@code
     *        null} elsewhere: a process of a cluster opens its own at {@link #begin})
     * @param resume what the partitions held when the store was opened
     */
    RocksRecoveryStore(Partition[] parts, RecoveryStores.Request request, Resume resume) {
        this.parts = parts;
        this.request = request;
        this.resume = resume;
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            uncollected.add(new HashMap<>());
            if (i % request.processCount() == request.processId()) {
                mine.add(i);
            }
        }
        this.own = mine.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public synchronized long begin(long executionId, int workers) {
        if (seq >= 0 && executionId == generation) {
            return resume.epoch();
        }
        try {
            if (seq >= 0) {
                if (request.processCount() > 1) {
                    throw new IllegalStateException("a store of a cluster's process serves one execution");
                }
                resume = Resume.read(Arrays.asList(parts)); // a process alone writes every partition: read them again
            }
            if (parts[own[0]] == null) {
                RocksRecoveryStores.openOwn(request, parts, own);
            }
            long epoch = resume.epoch();
            for (int i : own) {
                sweep(i, epoch);
            }
            Executions.Row last = resume.last();
            long next = last == null ? 0 : last.seq() + 1;
            Executions.Row row = new Executions.Row(next, executionId, workers, epoch);
            byte[] steps = Keys.utf8(String.join("\n", new java.util.TreeSet<>(request.statefulSteps())));
            for (int i : own) {
                try (WriteBatch b = new WriteBatch()) {
                    b.put(Keys.execution(next), row.value());
                    b.put(Keys.meta(Keys.META_FLOW), Keys.utf8(request.flowId()));
                    b.put(Keys.meta(Keys.META_STEPS), steps);
                    parts[i].write(b);
                }
            }
            seq = next;
            generation = executionId;
            workerCount = workers;
            frontiers = new long[workers];
            Arrays.fill(frontiers, Long.MAX_VALUE);
            int perProcess = workers / request.processCount();
            for (int w = request.processId() * perProcess; w < (request.processId() + 1) * perProcess && w < workers; w++) {
                frontiers[w] = epoch;
            }
            durable = request.processCount() > 1 ? epoch : Long.MAX_VALUE;
            collectedBefore = 0;
            return epoch;
        } catch (RocksDBException e) {
            throw failed("starting an execution", e);
        }
    }

    /** The partition worker {@code worker} writes: its process's partitions dealt over its local workers. */
    private int partitionOf(int worker) {
        int perProcess = Math.max(1, workerCount / request.processCount());
        return own[(worker % perProcess) % own.length];
    }

    /**
     * Deletes snapshots at or after the resume epoch, which an execution wrote past the point it is
     * resumed from: the new execution writes those epochs again, and a key it does not touch must
     * not bring back a value from the abandoned run. Notes keys with several snapshots for the GC.
     * Every partition is some process's own, so each is swept before anything is written to it.
     */
    private void sweep(int i, long resume) throws RocksDBException {
        Partition p = parts[i];
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
    public synchronized Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
        Map<String, byte[]> mine = new HashMap<>();
        resume.state().getOrDefault(stepId, Map.of()).forEach((key, state) -> {
            if (RecoveryStore.owner(key, workerCount) == workerIndex) {
                mine.put(key, state);
            }
        });
        return mine;
    }

    @Override
    public synchronized Map<String, byte[]> loadAll(String stepId) {
        return new HashMap<>(resume.state().getOrDefault(stepId, Map.of()));
    }

    @Override
    public synchronized void commit(int worker, long frontier, List<Snapshot> snapshots) {
        if (closed) {
            throw new RecoveryException("the recovery store at " + request.directory() + " is closed");
        }
        int i = partitionOf(worker);
        try (WriteBatch batch = new WriteBatch()) {
            for (Snapshot s : snapshots) {
                byte[] prefix = Keys.stepKey(s.stepId(), s.key());
                byte[] value;
                if (s.state() == null) {
                    value = new byte[] {0};
                } else {
                    value = new byte[s.state().length + 1];
                    value[0] = 1;
                    System.arraycopy(s.state(), 0, value, 1, s.state().length);
                }
                batch.put(Keys.snapshot(prefix, s.epoch()), value);
                long[] marks = uncollected.get(i).computeIfAbsent(ByteBuffer.wrap(prefix), k -> new long[] {s.epoch(), 0});
                marks[0] = Math.max(marks[0], s.epoch());
            }
            batch.put(Keys.frontier(seq, worker), Keys.longBytes(frontier));
            parts[i].write(batch);
            frontiers[worker] = Math.max(frontiers[worker] == Long.MAX_VALUE ? frontier : frontiers[worker], frontier);
            collect();
        } catch (RocksDBException e) {
            throw failed("writing worker " + worker + "'s snapshots", e);
        }
    }

    @Override
    public synchronized void durable(long frontier) {
        if (request.processCount() > 1) {
            durable = Math.max(durable, frontier);
        }
    }

    /**
     * Drops snapshots no resume can need any more, once the lowest frontier has moved: this
     * process's workers' lowest, and in a cluster at most the durable frontier, below which no
     * worker of any process resumes.
     */
    private void collect() throws RocksDBException {
        long lowest = durable;
        for (long f : frontiers) {
            lowest = Math.min(lowest, f);
        }
        long before = lowest - request.backupEpochs();
        if (before <= collectedBefore) {
            return;
        }
        collectedBefore = before;
        for (int i : own) {
            Map<ByteBuffer, long[]> keys = uncollected.get(i);
            if (keys.isEmpty()) {
                continue;
            }
            try (RocksIterator it = parts[i].iterator(); WriteBatch b = new WriteBatch()) {
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
                parts[i].write(b);
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
            if (p != null) {
                p.close();
            }
        }
    }
}
