package io.wax.engine.internal;

import java.util.List;

/**
 * What one worker sends another: a batch for a step's input port, or a frontier advance of that
 * port from the sender. Batches are handed over by reference; nothing is copied.
 */
final class Msg {
    final int op;
    final int port;
    final int sender;
    final long epoch;
    final List<Object> batch;

    Msg(int op, int port, int sender, long epoch, List<Object> batch) {
        this.op = op;
        this.port = port;
        this.sender = sender;
        this.epoch = epoch;
        this.batch = batch;
    }

    /** A frontier message: {@code epoch} is the new frontier, there is no batch. */
    static Msg frontier(int op, int port, int sender, long frontier) {
        return new Msg(op, port, sender, frontier, null);
    }
}
