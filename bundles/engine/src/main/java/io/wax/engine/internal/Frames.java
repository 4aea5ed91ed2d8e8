package io.wax.engine.internal;

import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.CodecRegistry;
import io.wax.api.codec.DecodeException;
import io.wax.api.codec.ReceivedStrings;
import io.wax.api.codec.StringCache;
import io.wax.plan.KeyedBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's frames: what one process sends another through the transport, which sees only
 * bytes. Every frame starts with its kind and the global index of the worker it is for; items are
 * encoded with the flow's codecs, on the sending worker's thread, and decoded on the receiving
 * worker's thread.
 *
 * <pre>
 * batch:    kind=1 to op port sender epoch shape count item*   (shape 0: item = object; 1: item = key string,
 *                                                             value object; 2: item = key string, the value being
 *                                                             that very key; every string through the sender's
 *                                                             SentStrings for op and to)
 * frontier: kind=2 to op port sender frontier
 * failure:  kind=3 to flow step worker epoch function text frame-count (class method file line)*
 * abort:    kind=4 to message
 * progress: kind=5 to lowest highest finished   (the frontiers this process's workers committed)
 * start:    kind=6 to recovering startEpoch     (sent once, at the start of a run)
 * stop:     kind=7 to what epoch [cause]        (a graceful stop: proposes a stop epoch, asks the cluster to stop,
 *                                               or asks it to stop for this process's swap, saying why)
 * </pre>
 */
final class Frames {
    static final byte BATCH = 1;
    static final byte FRONTIER = 2;
    static final byte FAILURE = 3;
    static final byte ABORT = 4;
    static final byte PROGRESS = 5;
    static final byte START = 6;
    static final byte STOP = 7;

    /** A batch's shape: plain items. */
    static final byte PLAIN = 0;
    /** A batch's shape: keyed items, each a key and a value. */
    static final byte KEYED = 1;
    /**
     * A batch's shape: keyed items whose values are their keys (a stream keyed by the item itself,
     * as a word count's words are): only the keys go, and each decodes as both key and value.
     */
    static final byte KEYED_SELF = 2;

    /** User frames a failure carries to the other processes. */
    private static final int MAX_FRAMES = 32;

    private Frames() {
    }

    /** A frontier message for worker {@code to}. */
    static byte[] frontier(ByteWriter w, int to, Msg m) {
        return w.reset().writeByte(FRONTIER).writeVarInt(to).writeVarInt(m.op).writeVarInt(m.port).writeVarInt(m.sender)
                .writeVarLong(m.epoch).toByteArray();
    }

    /**
     * Appends the items of {@code batch} to {@code items}, a writer that was {@linkplain
     * ByteWriter#reset(io.wax.api.codec.SentStrings) reset} with the sending worker's numbering of strings for the
     * receiving worker and the batch's op: frames for one worker and op must then be decoded in
     * the order their items were written.
     */
    static void writeItems(ByteWriter items, List<Object> batch, byte shape) {
        int n = batch.size();
        if (shape == KEYED_SELF) {
            KeyedBatch<?> kb = (KeyedBatch<?>) (Object) batch;
            for (int i = 0; i < n; i++) {
                items.writeString(kb.key(i));
            }
        } else if (shape == KEYED) {
            KeyedBatch<?> kb = (KeyedBatch<?>) (Object) batch;
            for (int i = 0; i < n; i++) {
                items.writeString(kb.key(i));
                items.writeObject(kb.value(i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                items.writeObject(batch.get(i));
            }
        }
    }

    /** The shape {@link #writeItems} writes {@code batch} in: {@link #KEYED_SELF} when every value is its very key. */
    static byte shape(List<Object> batch) {
        if (!((Object) batch instanceof KeyedBatch<?> kb)) {
            return PLAIN;
        }
        for (int i = 0, n = kb.size(); i < n; i++) {
            if (kb.value(i) != kb.key(i)) {
                return KEYED;
            }
        }
        return KEYED_SELF;
    }

    /** A batch frame for worker {@code to}: its head, made with {@code w}, then {@code count} items written by {@link #writeItems}. */
    static byte[] batch(ByteWriter w, int to, int op, int port, int sender, long epoch, byte shape, int count, ByteWriter items) {
        w.reset().writeByte(BATCH).writeVarInt(to).writeVarInt(op).writeVarInt(port).writeVarInt(sender).writeVarLong(epoch)
                .writeByte(shape).writeVarInt(count);
        int head = w.size();
        byte[] frame = new byte[head + items.size()];
        System.arraycopy(w.buffer(), 0, frame, 0, head);
        System.arraycopy(items.buffer(), 0, frame, head, items.size());
        return frame;
    }

    /** A frame's kind, the worker it is for and, for a batch, its item count: read on a transport thread. */
    record Head(byte kind, int to, int items) {
    }

    static Head head(CodecRegistry codecs, byte[] frame) {
        ByteReader r = new ByteReader(codecs, frame);
        byte kind = r.readByte();
        int to = r.readVarInt();
        int items = 0;
        if (kind == BATCH) {
            r.readVarInt();
            r.readVarInt();
            r.readVarInt();
            r.readVarLong();
            r.readByte(); // the shape: checked by decode
            items = r.readCount(1);
        } else if (kind != FRONTIER && kind != FAILURE && kind != ABORT && kind != PROGRESS && kind != START
                && kind != STOP) {
            throw new DecodeException("unknown frame kind " + kind);
        }
        return new Head(kind, to, items);
    }

    /** What the receiving worker decodes a batch's strings with. */
    interface Strings {
        /** Its cache of recent keys for {@code op}'s frames (see {@link StringCache}). */
        StringCache cache(int op);

        /** Its side of worker {@code sender}'s numbering of strings for {@code op}; a DecodeException if there is no such op or worker. */
        ReceivedStrings received(int op, int sender);
    }

    /** Decodes a batch or frontier frame into the message it was made from. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Msg decode(CodecRegistry codecs, byte[] frame, Strings strings) {
        ByteReader head = new ByteReader(codecs, frame);
        byte kind = head.readByte();
        head.readVarInt();
        int op = head.readVarInt();
        int port = head.readVarInt();
        int sender = head.readVarInt();
        long epoch = head.readVarLong();
        if (kind == FRONTIER) {
            head.expectEnd();
            return Msg.frontier(op, port, sender, epoch);
        }
        // The items are read through the cache of the op they are for.
        int start = head.position();
        ByteReader r = new ByteReader(codecs, frame, start, frame.length - start, strings.cache(op), strings.received(op, sender));
        int at = r.position();
        byte shape = r.readByte();
        if (shape != PLAIN && shape != KEYED && shape != KEYED_SELF) {
            throw new DecodeException("unknown batch shape " + shape + " at offset " + at);
        }
        int n = r.readCount(1);
        List<Object> batch;
        if (shape == KEYED_SELF) {
            KeyedBatch<Object> kb = KeyedBatch.recyclable(n);
            for (int i = 0; i < n; i++) {
                String key = r.readString();
                kb.add(key, key);
            }
            batch = (List) kb;
        } else if (shape == KEYED) {
            // Its one reader is the step the frame is for: the receiving worker may recycle it.
            KeyedBatch<Object> kb = KeyedBatch.recyclable(n);
            for (int i = 0; i < n; i++) {
                kb.add(r.readString(), r.readObject());
            }
            batch = (List) kb;
        } else {
            batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(r.readObject());
            }
        }
        r.expectEnd();
        return new Msg(op, port, sender, epoch, batch);
    }

    /** What a process tells the others when user code failed in it. */
    record Failure(String flow, String step, int worker, long epoch, String function, String text,
                   StackTraceElement[] frames) {
    }

    static byte[] failure(ByteWriter w, int to, Failure f) {
        w.reset().writeByte(FAILURE).writeVarInt(to).writeString(f.flow()).writeString(f.step())
                .writeVarInt(f.worker()).writeVarLong(f.epoch()).writeString(f.function()).writeString(f.text());
        int n = Math.min(MAX_FRAMES, f.frames().length);
        w.writeVarInt(n);
        for (int i = 0; i < n; i++) {
            StackTraceElement e = f.frames()[i];
            w.writeString(e.getClassName()).writeString(e.getMethodName())
                    .writeString(e.getFileName() == null ? "" : e.getFileName()).writeSignedVarInt(e.getLineNumber());
        }
        return w.toByteArray();
    }

    static Failure readFailure(CodecRegistry codecs, byte[] frame) {
        ByteReader r = new ByteReader(codecs, frame);
        r.readByte();
        r.readVarInt();
        String flow = r.readString();
        String step = r.readString();
        int worker = r.readVarInt();
        long epoch = r.readVarLong();
        String function = r.readString();
        String text = r.readString();
        int n = r.readCount(4);
        StackTraceElement[] frames = new StackTraceElement[Math.min(n, MAX_FRAMES)];
        for (int i = 0; i < n; i++) {
            String c = r.readString();
            String m = r.readString();
            String file = r.readString();
            int line = r.readSignedVarInt();
            if (i < frames.length) {
                frames[i] = new StackTraceElement(c, m, file.isEmpty() ? null : file, line);
            }
        }
        return new Failure(flow, step, worker, epoch, function, text, frames);
    }

    static byte[] abort(ByteWriter w, int to, String message) {
        return w.reset().writeByte(ABORT).writeVarInt(to).writeString(message).toByteArray();
    }

    static String readAbort(CodecRegistry codecs, byte[] frame) {
        ByteReader r = new ByteReader(codecs, frame);
        r.readByte();
        r.readVarInt();
        return r.readString();
    }

    /**
     * What a process has committed to its recovery store: the lowest and highest frontier any of its
     * workers committed, and whether all of them have finished (see {@code Execution.durableFrontier}).
     */
    record Progress(long lowest, long highest, boolean finished) {
    }

    static byte[] progress(ByteWriter w, int to, Progress p) {
        return w.reset().writeByte(PROGRESS).writeVarInt(to).writeVarLong(p.lowest()).writeVarLong(p.highest())
                .writeBoolean(p.finished()).toByteArray();
    }

    static Progress readProgress(CodecRegistry codecs, byte[] frame) {
        ByteReader r = new ByteReader(codecs, frame);
        r.readByte();
        r.readVarInt();
        Progress p = new Progress(r.readVarLong(), r.readVarLong(), r.readBoolean());
        r.expectEnd();
        return p;
    }

    /** Where a process starts: whether it recovers, and the epoch it resumes at (1 without recovery). */
    record Start(boolean recovering, long epoch) {
    }

    static byte[] start(ByteWriter w, int to, Start s) {
        return w.reset().writeByte(START).writeVarInt(to).writeBoolean(s.recovering()).writeVarLong(s.epoch()).toByteArray();
    }

    static Start readStart(CodecRegistry codecs, byte[] frame) {
        ByteReader r = new ByteReader(codecs, frame);
        r.readByte();
        r.readVarInt();
        Start s = new Start(r.readBoolean(), r.readVarLong());
        r.expectEnd();
        return s;
    }

    /**
     * A graceful stop in a cluster (see {@code Execution.stop}). {@link #ASK}: the sender asks every
     * process to stop (it was told to: SIGTERM, {@code wax:stop}); {@link #SWAP}: it asks every process
     * to stop because it stops for a swap of its own ({@code cause}), after which the cluster forms
     * again; {@link #PROPOSE}: it proposes {@code epoch}, the highest epoch open at its inputs once
     * they stopped reading ({@code -1}: none, its inputs had all ended). The cluster stops after the
     * highest epoch any process proposes.
     */
    record Stop(byte what, long epoch, String cause) {
        static final byte PROPOSE = 0;
        static final byte ASK = 1;
        static final byte SWAP = 2;

        boolean ask() {
            return what != PROPOSE;
        }
    }

    static byte[] stop(ByteWriter w, int to, Stop s) {
        w.reset().writeByte(STOP).writeVarInt(to).writeByte(s.what()).writeSignedVarLong(s.epoch());
        if (s.what() == Stop.SWAP) {
            w.writeString(s.cause());
        }
        return w.toByteArray();
    }

    static Stop readStop(CodecRegistry codecs, byte[] frame) {
        ByteReader r = new ByteReader(codecs, frame);
        r.readByte();
        r.readVarInt();
        byte what = r.readByte();
        if (what != Stop.PROPOSE && what != Stop.ASK && what != Stop.SWAP) {
            throw new DecodeException("a stop frame of unknown kind " + what);
        }
        long epoch = r.readSignedVarLong();
        String cause = what == Stop.SWAP ? r.readString() : null;
        r.expectEnd();
        if (epoch < -1) {
            throw new DecodeException("a stop frame proposing epoch " + epoch);
        }
        return new Stop(what, epoch, cause);
    }
}
