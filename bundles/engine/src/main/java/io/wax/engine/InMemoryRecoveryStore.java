package io.wax.engine;

import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recovery store in memory: survives runs within one JVM, so tests can abort a run and resume
 * it. Keeps every snapshot (no garbage collection); not for production.
 */
public final class InMemoryRecoveryStore implements RecoveryStore {
    private static final Object DISCARDED = new Object();

    /** stepId -> key -> epoch -> state (or DISCARDED). */
    private final Map<String, Map<String, TreeMap<Long, Object>>> snapshots = new HashMap<>();
    private long[] frontiers = new long[0];
    private long resumeEpoch = 1;

    @Override
    public synchronized long begin(int workerCount) {
        if (frontiers.length > 0) {
            long min = Long.MAX_VALUE;
            for (long f : frontiers) {
                min = Math.min(min, f);
            }
            resumeEpoch = Math.max(resumeEpoch, min);
        }
        frontiers = new long[workerCount];
        java.util.Arrays.fill(frontiers, resumeEpoch);
        return resumeEpoch;
    }

    @Override
    public synchronized Map<String, Object> load(String stepId) {
        Map<String, Object> out = new HashMap<>();
        snapshots.getOrDefault(stepId, Map.of()).forEach((key, byEpoch) -> {
            Map.Entry<Long, Object> e = byEpoch.lowerEntry(resumeEpoch);
            if (e != null && e.getValue() != DISCARDED) {
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
                    .put(s.epoch(), s.state() == null ? DISCARDED : s.state());
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
                byEpoch.forEach((epoch, st) -> out.add(new Snapshot(step, key, epoch, st == DISCARDED ? null : st)))));
        return out;
    }
}
