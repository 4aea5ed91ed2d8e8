package io.wax.spi.monitor;

import java.util.List;

/**
 * The live figures of one run in this process, read on demand from any thread. The lists are
 * fixed when the run starts (every step on every local worker); their values move as it runs.
 */
@org.osgi.annotation.versioning.ProviderType
public interface RunFigures {
    /** Every step on every worker of this process, in plan order per worker. */
    List<StepFigures> steps();

    List<WorkerFigures> workers();

    /** The lag of each source partition that reports one ({@link io.wax.api.io.ReportsLag}); read now. */
    List<PartitionLag> lags();

    /** Per peer of the cluster, when the transport counts it ({@link CountsTraffic}); else empty. */
    List<PeerTraffic> peers();

    /** For engines that keep no figures. */
    RunFigures NONE = new RunFigures() {
        @Override
        public List<StepFigures> steps() {
            return List.of();
        }

        @Override
        public List<WorkerFigures> workers() {
            return List.of();
        }

        @Override
        public List<PartitionLag> lags() {
            return List.of();
        }

        @Override
        public List<PeerTraffic> peers() {
            return List.of();
        }
    };
}
