package io.wax.runtime.internal;

import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.Snapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store of a run without {@code -r}: snapshots as bytes in this bundle's memory, so that a
 * live swap carries state across the engine's or the flow's update (the engine bundle's own
 * classes may be gone; bytes are not). Such a run snapshots only when it stops for a swap and at
 * end of input (its snapshot interval is "never"), and each begin drops every snapshot a resume
 * can no longer need: memory stays one copy of the state at most.
 */
final class MemoryStore implements DurableStore {
    /** stepId -> key -> epoch -> state bytes, or null for a discarded key. */
    private final Map<String, Map<String, TreeMap<Long, byte[]>>> snapshots = new HashMap<>();
    private long[] frontiers = new long[0];
    private long resumeEpoch = 1;

    @Override
    public synchronized long begin(long execution, int workerCount) {
        resumeEpoch = resumeEpoch();
        frontiers = new long[workerCount];
        // Only this process's workers commit here: in a cluster, the others' stay unknown (MAX).
        Arrays.fill(frontiers, Long.MAX_VALUE);
        for (Map<String, TreeMap<Long, byte[]>> keys : snapshots.values()) {
            keys.values().removeIf(byEpoch -> {
                Long latest = byEpoch.lowerKey(resumeEpoch);
                byEpoch.headMap(latest == null ? Long.MIN_VALUE : latest).clear(); // older ones are never read again
                byEpoch.tailMap(resumeEpoch).clear(); // after the resume point: replayed
                return byEpoch.isEmpty() || byEpoch.firstEntry().getValue() == null;
            });
        }
        return resumeEpoch;
    }

    /**
     * The lowest frontier this process's workers committed, or the last resume epoch while none
     * has: in a cluster, each process's workers commit past the same stop epoch, so every process
     * resumes at the same epoch (the engine checks that they do).
     */
    @Override
    public synchronized long resumeEpoch() {
        long min = Long.MAX_VALUE;
        for (long f : frontiers) {
            min = Math.min(min, f);
        }
        return min == Long.MAX_VALUE ? resumeEpoch : Math.max(resumeEpoch, min);
    }

    @Override
    public synchronized Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
        Map<String, byte[]> out = new HashMap<>();
        loadAll(stepId).forEach((key, state) -> {
            if (RecoveryStore.owner(key, workerCount) == workerIndex) {
                out.put(key, state);
            }
        });
        return out;
    }

    @Override
    public synchronized Map<String, byte[]> loadAll(String stepId) {
        Map<String, byte[]> out = new HashMap<>();
        snapshots.getOrDefault(stepId, Map.of()).forEach((key, byEpoch) -> {
            Map.Entry<Long, byte[]> e = byEpoch.lowerEntry(resumeEpoch);
            if (e != null && e.getValue() != null) {
                out.put(key, e.getValue());
            }
        });
        return out;
    }

    @Override
    public synchronized void commit(int worker, long frontier, List<Snapshot> list) {
        for (Snapshot s : list) {
            snapshots.computeIfAbsent(s.stepId(), k -> new HashMap<>())
                    .computeIfAbsent(s.key(), k -> new TreeMap<>())
                    .put(s.epoch(), s.state() == null ? null : s.state().clone());
        }
        frontiers[worker] = frontiers[worker] == Long.MAX_VALUE ? frontier : Math.max(frontiers[worker], frontier);
    }

    @Override
    public synchronized void close() {
        snapshots.clear();
    }
}
