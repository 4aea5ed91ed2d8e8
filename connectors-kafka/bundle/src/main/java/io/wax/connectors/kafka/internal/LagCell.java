package io.wax.connectors.kafka.internal;

import io.wax.connectors.kafka.PartitionLag;

/** The lag figures of one open partition: written by its worker, read by metrics from any thread. */
public final class LagCell {
    private final String stepId;
    private final String partition;
    private final int worker;
    private volatile long position = -1;
    private volatile long endOffset = -1;

    LagCell(String stepId, String partition, int worker) {
        this.stepId = stepId;
        this.partition = partition;
        this.worker = worker;
    }

    void position(long p) {
        this.position = p;
    }

    void endOffset(long e) {
        this.endOffset = e;
    }

    void update(long position, long endOffset) {
        this.position = position;
        this.endOffset = endOffset;
    }

    public PartitionLag read() {
        long p = position;
        long e = endOffset;
        return new PartitionLag(stepId, partition, worker, p, e, p < 0 || e < 0 ? -1 : Math.max(0, e - p));
    }
}
