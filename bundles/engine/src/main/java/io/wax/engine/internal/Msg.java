package io.wax.engine.internal;

import java.util.List;

/**
 * What one worker sends another: a batch for a step's input port, or a frontier advance of that
 * port from the sender. Between workers of one process batches are handed over by reference and
 * nothing is copied; a message from another process arrives as its frame, decoded by the
 * receiving worker.
 */
final class Msg {
    final int op;
    final int port;
    final int sender;
    final long epoch;
    final List<Object> batch;
    /** For a message from another process: its undecoded frame, the process it came from, its item count. */
    final byte[] frame;
    final int peer;
    final int items;

    Msg(int op, int port, int sender, long epoch, List<Object> batch) {
        this.op = op;
        this.port = port;
        this.sender = sender;
        this.epoch = epoch;
        this.batch = batch;
        this.frame = null;
        this.peer = -1;
        this.items = batch == null ? 0 : batch.size();
    }

    private Msg(byte[] frame, int peer, int items) {
        this.op = -1;
        this.port = -1;
        this.sender = -1;
        this.epoch = 0;
        this.batch = null;
        this.frame = frame;
        this.peer = peer;
        this.items = items;
    }

    /** A frontier message: {@code epoch} is the new frontier, there is no batch. */
    static Msg frontier(int op, int port, int sender, long frontier) {
        return new Msg(op, port, sender, frontier, null);
    }

    /** A frame from process {@code peer} holding {@code items} items, to be decoded by its worker. */
    static Msg remote(byte[] frame, int peer, int items) {
        return new Msg(frame, peer, items);
    }
}
