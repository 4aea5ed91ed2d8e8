package io.wax.engine;

import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recovery store in memory: survives runs within one JVM, so tests can abort a run and resume
 * it, also with another worker or process count. It holds what a durable store holds, encoded
 * state as bytes, so a test that resumes through it also proves the state's codecs. Keeps every
 * snapshot (no garbage collection); not for production.
 */
public final class InMemoryRecoveryStore implements RecoveryStore {
    /** stepId -> key -> epoch -> state bytes, or null for a discarded key. */
    private final Map<String, Map<String, TreeMap<Long, byte[]>>> snapshots = new HashMap<>();
    private long[] frontiers = new long[0];
    private long resumeEpoch = 1;
    private long execution;
    private boolean begun;

    @Override
    public synchronized long begin(long executionId, int workerCount) {
        if (begun && executionId == execution) {
            return resumeEpoch; // another process of the same cluster run
        }
        resumeEpoch = resumeEpoch();
        frontiers = new long[workerCount];
        Arrays.fill(frontiers, resumeEpoch);
        execution = executionId;
        begun = true;
        return resumeEpoch;
    }

    /** What {@link #begin} would return for a new execution; every process of a cluster asks before any begins. */
    @Override
    public synchronized long resumeEpoch() {
        return Math.max(resumeEpoch, lowestFrontier());
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
                out.put(key, e.getValue().clone());
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
        frontiers[worker] = Math.max(frontiers[worker], frontier);
    }

    /** The lowest frontier any worker of the current execution has committed: what a resume would start from. */
    public synchronized long lowestFrontier() {
        long min = Long.MAX_VALUE;
        for (long f : frontiers) {
            min = Math.min(min, f);
        }
        return frontiers.length == 0 ? resumeEpoch : min;
    }

    /** Every snapshot written so far, for tests: the order is by step, key, epoch. */
    public synchronized List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        new TreeMap<>(snapshots).forEach((step, keys) -> new TreeMap<>(keys).forEach((key, byEpoch) ->
                byEpoch.forEach((epoch, st) -> out.add(new Snapshot(step, key, epoch, st)))));
        return out;
    }
}
