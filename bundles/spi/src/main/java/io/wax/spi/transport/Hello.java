package io.wax.spi.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The first frame on every connection: what two processes must agree on before any data flows.
 * Timely hangs silently when {@code -w} differs between processes (timely#99); comparing hellos
 * turns every such mismatch into an error that names the difference and both values.
 *
 * @param protocol the version of the engine's frames (a transport checks its own wire protocol before any hello)
 * @param processId the sender's process id
 * @param processCount how many processes the sender thinks the cluster has
 * @param workersPerProcess the sender's {@code -w}
 * @param flow the flow getter the sender runs, arguments included ({@code parametric(10)})
 * @param flowVersion the version of the bundle that provides the flow (or "" outside OSGi)
 * @param fingerprint a digest of the flow's topology and codec registry
 * @param generation the run's generation: minted by process 0, adopted by the others; 0 until known
 */
public record Hello(int protocol, int processId, int processCount, int workersPerProcess, String flow,
                    String flowVersion, long fingerprint, long generation) {
    public Hello {
        if (flow == null) {
            flow = "";
        }
        if (flowVersion == null) {
            flowVersion = "";
        }
    }

    public Hello withGeneration(long g) {
        return new Hello(protocol, processId, processCount, workersPerProcess, flow, flowVersion, fingerprint, g);
    }

    /**
     * What differs between this process's hello and a peer's, one phrase per difference naming
     * both values; empty when they agree. The process ids differ by design; a peer that claims
     * this process's own id, or not the id it was dialled as ({@code expectedPeer}), is a
     * difference too.
     */
    public List<String> differences(Hello peer, int expectedPeer) {
        List<String> d = new ArrayList<>();
        if (peer.protocol != protocol) {
            d.add("engine protocol: this process (" + processId + ") speaks engine protocol " + protocol + ", process " + peer.processId
                    + " speaks " + peer.protocol + ": they run builds of the Wax engine whose frames differ; update io.wax.engine and"
                    + " io.wax.runtime in every process to the same build, then start them again");
        }
        if (peer.processId == processId) {
            d.add("process id: two processes both claim id " + processId);
        } else if (expectedPeer >= 0 && peer.processId != expectedPeer) {
            d.add("process id: the process at address " + expectedPeer + " says it is process " + peer.processId);
        }
        if (peer.processCount != processCount) {
            d.add("process count: this process (" + processId + ") has " + processCount + " addresses, process "
                    + peer.processId + " has " + peer.processCount);
        }
        if (peer.workersPerProcess != workersPerProcess) {
            d.add("workers per process: this process (" + processId + ") runs -w" + workersPerProcess + ", process "
                    + peer.processId + " runs -w" + peer.workersPerProcess);
        }
        if (!peer.flow.equals(flow)) {
            d.add("flow: this process (" + processId + ") runs '" + flow + "', process " + peer.processId + " runs '" + peer.flow + "'");
        } else if (!peer.flowVersion.equals(flowVersion)) {
            d.add("flow version: this process (" + processId + ") has '" + flow + "' from bundle version " + flowVersion
                    + ", process " + peer.processId + " from " + peer.flowVersion);
        } else if (peer.fingerprint != fingerprint) {
            d.add("flow topology or codecs: the fingerprints differ (this process " + Long.toHexString(fingerprint)
                    + ", process " + peer.processId + " " + Long.toHexString(peer.fingerprint) + "): the processes built different flows");
        }
        if (generation != 0 && peer.generation != 0 && peer.generation != generation) {
            d.add("generation: process " + peer.processId + " belongs to another run (generation "
                    + Long.toHexString(peer.generation) + ", this run's is " + Long.toHexString(generation) + ")");
        }
        return d;
    }
}
