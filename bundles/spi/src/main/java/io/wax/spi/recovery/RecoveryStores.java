package io.wax.spi.recovery;

import java.nio.file.Path;
import java.util.Set;

/**
 * Durable recovery stores in a directory of partitions, {@code DIR/part-0 .. part-(N-1)}, created
 * once by {@link #init} (Bytewax's {@code python -m bytewax.recovery DIR N}); N is fixed for the
 * store's life and independent of worker counts. Offered as a service by the store bundle.
 */
@org.osgi.annotation.versioning.ProviderType
public interface RecoveryStores {
    /**
     * What a run opens a store with.
     *
     * @param directory the partitions' directory ({@code -r})
     * @param flowId the flow's id: a store remembers the flow it was made by and refuses others
     * @param statefulSteps the ids of the flow's steps that keep state (stateful steps, partitioned
     *        inputs and outputs): a store refuses a flow whose stateful steps changed since its last run
     * @param allowNewSteps whether steps the store has never seen may start empty ({@code --allow-new-steps})
     * @param backupEpochs how many closed epochs of history garbage collection keeps beyond the
     *        resume point ({@code ceil(-b / epoch interval)}), so that a backup taken a little earlier still resumes
     * @param processId this process's id in its cluster ({@code -i}; 0 alone)
     * @param processCount the processes of the cluster (1 alone): each writes only its own partitions,
     *        those whose index modulo the count is its id, and reads every partition to resume
     */
    record Request(Path directory, String flowId, Set<String> statefulSteps, boolean allowNewSteps, long backupEpochs,
                   int processId, int processCount) {
        public Request {
            statefulSteps = Set.copyOf(statefulSteps);
            if (backupEpochs < 0) {
                throw new IllegalArgumentException("backupEpochs must not be negative, got " + backupEpochs);
            }
            if (processCount < 1 || processId < 0 || processId >= processCount) {
                throw new IllegalArgumentException("process " + processId + " of " + processCount + " does not exist");
            }
        }

        /** For a process on its own. */
        public Request(Path directory, String flowId, Set<String> statefulSteps, boolean allowNewSteps, long backupEpochs) {
            this(directory, flowId, statefulSteps, allowNewSteps, backupEpochs, 0, 1);
        }
    }

    /**
     * Creates {@code partitions} empty partitions in {@code directory}.
     *
     * @param force allows an existing but empty directory
     * @throws RecoveryException when the directory holds a store or other files, or is not writable
     */
    void init(Path directory, int partitions, boolean force);

    /**
     * Partitions, executions, resume epoch, worker count and size on disk, as text for
     * {@code bin/wax recovery info}. Reads the store without changing it.
     */
    String info(Path directory);

    /**
     * Opens a store for a run after checking, without writing, that the store is whole and belongs
     * to this flow, and reads what a resume needs (the resume epoch and the state before it) from
     * every partition. A process alone then opens every partition to write; a process of a cluster
     * opens its own partitions to write only at {@link RecoveryStore#begin}, which the engine calls
     * once the cluster has formed: every process has then read the store, and none has written it,
     * so every process resumes from the same data.
     *
     * @throws RecoveryException naming what is wrong, with the store left unchanged
     */
    DurableStore open(Request request);
}
