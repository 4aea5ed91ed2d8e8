package io.wax.engine.internal;

/**
 * How batches reach another worker. In one process they are handed over by reference; the cluster
 * transport implements the same contract over the network for workers in other processes.
 */
interface Exchange {
    /** Delivers {@code msg} to worker {@code to}'s inbox. Never blocks. */
    void send(int to, Msg msg);

    /**
     * True while every inbox this process sends to holds fewer than the bound of items: sources
     * are only polled then, which keeps in-flight data bounded.
     */
    boolean hasRoom();
}
