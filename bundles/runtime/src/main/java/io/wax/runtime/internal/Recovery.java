package io.wax.runtime.internal;

import io.wax.api.io.PartitionedSink;
import io.wax.api.io.PartitionedSource;
import io.wax.plan.Plan;
import io.wax.plan.Step;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxException;
import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.RecoveryStores;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Opening a run's recovery store from its flags ({@code -r}, {@code -b}, {@code --allow-new-steps}). */
final class Recovery {
    static final String NO_STORE = "no recovery store: the bundle io.wax.recovery.rocksdb is not active, so -r cannot"
            + " be used; start it again (in the shell: lb recovery, then start ID)";

    private Recovery() {
    }

    /** The steps whose state a store keeps: stateful steps, and partitioned inputs and outputs. */
    static Set<String> statefulSteps(Plan plan) {
        Set<String> out = new TreeSet<>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.StatefulBatch sb) {
                out.add(sb.id());
            } else if (s instanceof Step.Input in && in.source() instanceof PartitionedSource<?, ?>) {
                out.add(in.id());
            } else if (s instanceof Step.Output o && o.sink() instanceof PartitionedSink<?, ?>) {
                out.add(o.id());
            }
        }
        return out;
    }

    /**
     * Opens the store of {@code -r}, checked against the flow; throws a {@link WaxException} naming
     * what is wrong. In a cluster this comes before the cluster forms: the store reads what the
     * resume needs now, and this process writes its partitions only once every process has read.
     */
    static DurableStore open(RecoveryStores stores, RunFlags flags, Plan plan) {
        if (stores == null) {
            throw new WaxException(NO_STORE);
        }
        long backupEpochs = 0;
        if (flags.backupInterval() != null) {
            long e = Math.max(1, flags.epochInterval().toMillis());
            backupEpochs = (flags.backupInterval().toMillis() + e - 1) / e;
        }
        try {
            return stores.open(new RecoveryStores.Request(Path.of(flags.recoveryDirectory()), plan.flowId(),
                    statefulSteps(plan), flags.allowNewSteps(), backupEpochs,
                    flags.processId() == null ? 0 : flags.processId(), Math.max(1, flags.addresses().size())));
        } catch (RecoveryException e) {
            throw new WaxException(e.getMessage(), e);
        }
    }
}
