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
 * It deletes by exact key from the epochs it remembers each such key has stored, without reading:
 * iterating over a key's snapshots steps over the tombstones of its earlier deletes until a
 * compaction drops them, which made a commit of 10,000 keys grow to a second after 100 epochs. A key
 * it has no list for is read once, up to the first epoch this execution wrote for it.
 */
final class RocksRecoveryStore implements DurableStore {
    /** Every partition, by index; {@code null} where this process does not write (or not yet). */
    private final Partition[] parts;
    private final RecoveryStores.Request request;
    /** The partitions this process writes, in index order. */
    private final int[] own;
    /** Per partition: a lately written key's (step, key) prefix -> the epochs it has stored. */
    private final List<Map<ByteBuffer, Stored>> uncollected = new ArrayList<>();
    /**
     * Per partition: whether a key with no entry in {@link #uncollected} may still have a snapshot
     * stored (the partition had snapshots when the execution began, or GC forgot an idle key).
     */
    private final boolean[] mayHoldUnlisted;
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
        this.mayHoldUnlisted = new boolean[parts.length];
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

    /** Before the first {@link #begin}: the resume epoch read when the store was opened. */
    @Override
    public synchronized long resumeEpoch() {
        return seq >= 0 ? -1 : resume.epoch();
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

    /**
     * Lets go of the resumed snapshots once every worker of this process has closed the resume
     * epoch: each loaded its keys before it processed anything, and the map can be as large as the
     * flow's whole state, which the workers now hold themselves.
     */
    private void releaseResumedState() {
        if (resume.state() == null) {
            return;
        }
        for (long f : frontiers) {
            if (f <= resume.epoch()) {
                return;
            }
        }
        resume = new Resume(resume.last(), resume.epoch(), null);
    }

    /** The resumed snapshots, which are only there until every local worker has loaded its own. */
    private Map<String, Map<String, byte[]>> resumed() {
        if (resume.state() == null) {
            throw new IllegalStateException("the resumed state of " + request.directory()
                    + " was released once every worker had passed the resume epoch " + resume.epoch());
        }
        return resume.state();
    }

    /** How many keys' resumed snapshots this store still holds in memory. */
    int heldResumedKeys() {
        return resume.state() == null ? 0 : resume.state().values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public synchronized Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
        Map<String, byte[]> mine = new HashMap<>();
        resumed().getOrDefault(stepId, Map.of()).forEach((key, state) -> {
            if (RecoveryStore.owner(key, workerCount) == workerIndex) {
                mine.put(key, state);
            }
        });
        return mine;
    }

    @Override
    public synchronized Map<String, byte[]> loadAll(String stepId) {
        return new HashMap<>(resumed().getOrDefault(stepId, Map.of()));
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
                boolean listed = !mayHoldUnlisted[i];
                uncollected.get(i).computeIfAbsent(ByteBuffer.wrap(prefix), k -> new Stored(listed)).add(s.epoch());
            }
            batch.put(Keys.frontier(seq, worker), Keys.longBytes(frontier));
            parts[i].write(batch);
            frontiers[worker] = Math.max(frontiers[worker] == Long.MAX_VALUE ? frontier : frontiers[worker], frontier);
            releaseResumedState();
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
            Map<ByteBuffer, Stored> keys = uncollected.get(i);
            if (keys.isEmpty()) {
                continue;
            }
            try (RocksIterator it = parts[i].iterator(); WriteBatch b = new WriteBatch()) {
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
                parts[i].write(b);
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
            if (p != null) {
                p.close();
            }
        }
    }
}
