package io.wax.engine;

import io.wax.api.io.StableHash;
import java.util.ArrayList;
import java.util.List;

/**
 * Which worker of the cluster owns each partition of a partitioned source or sink. Partitions are
 * sorted by name and dealt round-robin, so every worker count gets an even spread (counts differ by
 * at most one) and every process computes the same answer without talking. The deal starts at a
 * worker picked by the step id's stable hash, so that several small sources do not all pile their
 * partitions onto worker 0.
 */
public final class Assignment {
    private Assignment() {
    }

    /** The owner of each of {@code parts}, as a worker index in {@code [0, workerCount)}. */
    public static int[] owners(String stepId, List<String> parts, int workerCount) {
        List<String> sorted = new ArrayList<>(parts);
        sorted.sort(null);
        int start = StableHash.owner(stepId, workerCount);
        int[] owners = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            int rank = sorted.indexOf(parts.get(i));
            owners[i] = (start + rank) % workerCount;
        }
        return owners;
    }

    /** The partitions, of {@code parts}, that {@code worker} owns. */
    public static List<String> partsOf(String stepId, List<String> parts, int worker, int workerCount) {
        int[] owners = owners(stepId, parts, workerCount);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (owners[i] == worker) {
                mine.add(parts.get(i));
            }
        }
        return mine;
    }
}
