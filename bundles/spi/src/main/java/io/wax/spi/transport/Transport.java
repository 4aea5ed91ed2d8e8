package io.wax.spi.transport;

/**
 * Connects the processes of a cluster for one run. A transport knows peers and ordered byte
 * frames, never operators (Timely's communication layer is the model): the engine frames its own
 * messages and encodes their items with the flow's codecs before a transport sees them.
 *
 * <p>Implementations: the gRPC transport (a bundle of its own) between processes and machines,
 * and the engine's loopback transport between "processes" in one JVM, for tests.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Transport {
    /**
     * Connects this process to every other process of the cluster and exchanges {@link Hello}s
     * with them. Returns once every peer has answered and agreed, or throws {@link
     * TransportException} naming the peers that never answered (after {@link ClusterSpec#connectTimeout()})
     * or the first difference between two hellos. Never hangs.
     */
    Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException;
}
