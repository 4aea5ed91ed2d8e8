package io.wax.engine.internal;

import io.wax.api.codec.ByteWriter;
import io.wax.spi.transport.Links;

/**
 * One worker's messages for workers of other processes. A batch is encoded as it comes, on this
 * worker's thread, and held: the next batches for the same worker, step port and epoch join it in
 * the same frame. The frame goes when {@link #FRAME_BYTES} have gathered, when a message that
 * cannot join comes for that worker (another port or epoch, or a frontier, which must not overtake
 * the items before it), when {@link #HOLD_NANOS} have passed since the oldest item held here, and
 * whenever this worker is about to wait or end.
 *
 * <p>Why: each frame costs the same whatever it carries, on both sides (waking the transport's
 * sender and event loop, a gRPC message, waking the receiving worker, returning credit), and on a
 * busy worker one source batch gave one frame of a few hundred items. Gathering them cut those
 * costs by the number of batches a frame now carries. The hold is bounded in time so that a
 * steady stream is not delayed by more than a millisecond, and a worker that goes idle sends at
 * once, so a trickle is not delayed at all; a frontier flushes too, so epochs close on time.
 */
final class Outgoing {
    /** A frame goes once its items take this many bytes. */
    static final int FRAME_BYTES = 32 * 1024;
    /** Nothing is held longer than this while the worker is busy. */
    static final long HOLD_NANOS = 1_000_000L;

    /** The frame being gathered for one worker of another process. */
    private static final class Held {
        final ByteWriter items;
        int op;
        int port;
        long epoch;
        /** How the items are written (Frames.PLAIN, KEYED or KEYED_SELF): a frame holds one shape. */
        byte shape;
        /** Items held; 0: nothing. */
        int count;

        Held(ByteWriter items) {
            this.items = items;
        }
    }

    private final Worker w;
    private final Links links;
    private final int workersPerProcess;
    /** By the receiving worker's global index; made on first use. */
    private final Held[] held;
    /** How many workers have something held, and since when the oldest item has been (System.nanoTime). */
    private int holding;
    private long since;

    Outgoing(Worker w, Links links, int workersPerProcess) {
        this.w = w;
        this.links = links;
        this.workersPerProcess = workersPerProcess;
        this.held = new Held[w.workerCount];
    }

    /** Sends {@code msg} to worker {@code to} of another process: a frontier at once, a batch when its frame goes. */
    void send(int to, Msg msg) {
        Held h = held[to];
        if (msg.batch == null) {
            if (h != null && h.count > 0) {
                flush(to, h);
            }
            links.send(to / workersPerProcess, Frames.frontier(w.writer(), to, msg));
            return;
        }
        if (h == null) {
            h = held[to] = new Held(new ByteWriter(w.ex.codecs, 1024));
        }
        byte shape = Frames.shape(msg.batch);
        if (h.count > 0 && h.shape == Frames.KEYED && shape == Frames.KEYED_SELF) {
            // Keys that are their values can go with their values too: a stream whose batches
            // alternate between the two shapes then still gathers, one frame after the first.
            shape = Frames.KEYED;
        }
        if (h.count > 0 && (h.op != msg.op || h.port != msg.port || h.epoch != msg.epoch || h.shape != shape)) {
            flush(to, h);
        }
        if (h.count == 0) {
            h.items.reset(w.sent(msg.op, to));
            h.op = msg.op;
            h.port = msg.port;
            h.epoch = msg.epoch;
            h.shape = shape;
            if (holding++ == 0) {
                since = System.nanoTime();
            }
        }
        Frames.writeItems(h.items, msg.batch, shape);
        h.count += msg.batch.size();
        // Encoded: the sender's batch is read for good.
        w.ex.exchange.pool(w.index).give(msg.batch);
        if (h.items.size() >= FRAME_BYTES) {
            flush(to, h);
        }
    }

    /**
     * Called at the end of each turn of the worker's loop: sends what is held once the oldest item
     * has waited {@link #HOLD_NANOS}, or at once when the worker is about to wait ({@code idle}).
     */
    void turnEnded(long nowNanos, boolean idle) {
        if (holding > 0 && (idle || nowNanos - since >= HOLD_NANOS)) {
            flushAll();
        }
    }

    /** Sends everything held. */
    void flushAll() {
        for (int to = 0; to < held.length && holding > 0; to++) {
            Held h = held[to];
            if (h != null && h.count > 0) {
                flush(to, h);
            }
        }
    }

    private void flush(int to, Held h) {
        byte[] frame = Frames.batch(w.writer(), to, h.op, h.port, w.index, h.epoch, h.shape, h.count, h.items);
        h.count = 0;
        holding--;
        links.send(to / workersPerProcess, frame);
    }
}
