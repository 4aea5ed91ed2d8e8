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
     */
    record Request(Path directory, String flowId, Set<String> statefulSteps, boolean allowNewSteps, long backupEpochs) {
        public Request {
            statefulSteps = Set.copyOf(statefulSteps);
            if (backupEpochs < 0) {
                throw new IllegalArgumentException("backupEpochs must not be negative, got " + backupEpochs);
            }
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
     * Opens every partition for a run after checking, without writing, that the store is whole
     * and belongs to this flow.
     *
     * @throws RecoveryException naming what is wrong, with the store left unchanged
     */
    DurableStore open(Request request);
}
