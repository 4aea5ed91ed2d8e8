package io.wax.engine.internal;

import io.wax.spi.transport.Links;

/**
 * How messages reach other workers. A worker of this process gets the message itself, by
 * reference, in its inbox; a worker of another process gets it as a frame through the cluster's
 * {@link Links}, encoded on the sending worker's thread.
 */
final class Exchange {
    private final Worker[] local;
    private final int firstLocal;
    private final int workersPerProcess;
    private final int bound;
    private final Links links;
    /** Each local worker's spare keyed batches, indexed as {@code local}; each used on its worker's thread only. */
    private final BatchPool[] pools;

    Exchange(Worker[] local, int firstLocal, int bound, Links links) {
        this.local = local;
        this.firstLocal = firstLocal;
        this.workersPerProcess = local.length;
        this.bound = bound;
        this.links = links;
        this.pools = new BatchPool[local.length];
        for (int i = 0; i < pools.length; i++) {
            pools[i] = new BatchPool();
        }
    }

    /** The spare keyed batches of the local worker with global index {@code worker}. */
    BatchPool pool(int worker) {
        return pools[worker - firstLocal];
    }

    /** Delivers {@code msg} from worker {@code from} to worker {@code to} (global index). Never blocks. */
    void send(Worker from, int to, Msg msg) {
        int l = to - firstLocal;
        if (l >= 0 && l < workersPerProcess) {
            local[l].inbox.offer(msg);
        } else {
            from.outgoing(links, workersPerProcess).send(to, msg);
        }
    }

    /**
     * True while every inbox of this process holds fewer than the bound of items and every peer
     * process can take more frames: sources are only polled then, which keeps in-flight data
     * bounded. A slow worker in another process stops taking frames, its process's queue stops
     * draining, and so the bound reaches across the cluster.
     */
    boolean hasRoom() {
        for (Worker w : local) {
            if (w.inbox.pending() >= bound) {
                return false;
            }
        }
        if (links != null) {
            for (int p = 0, n = links.processCount(); p < n; p++) {
                if (p != links.processId() && !links.writable(p)) {
                    return false;
                }
            }
        }
        return true;
    }
}
