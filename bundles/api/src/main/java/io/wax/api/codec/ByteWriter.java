package io.wax.api.codec;

import java.util.Arrays;

/**
 * A growable buffer that codecs write to. Fixed-size numbers are big-endian; {@code writeVar*}
 * write unsigned LEB128 varints, {@code writeSignedVar*} zig-zag varints (small negative numbers
 * stay short). A writer is not thread-safe; the engine keeps one per worker and {@link #reset()}s
 * it between frames.
 */
public final class ByteWriter {
    /** Nested values deeper than this are refused: a cyclic structure would otherwise overflow the stack. */
    static final int MAX_DEPTH = 64;

    private final CodecRegistry registry;
    private byte[] buf;
    private int pos;
    private int depth;
    /** The strings already sent on the channel this writer writes for, until the next reset; or null. */
    private SentStrings sent;

    public ByteWriter(CodecRegistry registry) {
        this(registry, 256);
    }

    public ByteWriter(CodecRegistry registry, int capacity) {
        this.registry = registry;
        this.buf = new byte[Math.max(16, capacity)];
    }

    /** The registry that {@link #writeObject} encodes with. */
    public CodecRegistry registry() {
        return registry;
    }

    /** Forgets what was written, keeping the buffer; strings are written whole from now on. */
    public ByteWriter reset() {
        pos = 0;
        depth = 0;
        sent = null;
        return this;
    }

    /**
     * Forgets what was written, keeping the buffer; until the next reset, strings are written
     * through {@code sent}: a string sent before as its number. Only a {@link ByteReader} given the
     * {@link ReceivedStrings} of the same channel, reading what was written in the same order, can
     * read the bytes (see {@link SentStrings}).
     */
    public ByteWriter reset(SentStrings sent) {
        reset();
        this.sent = sent;
        return this;
    }

    /** Bytes written so far. */
    public int size() {
        return pos;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The buffer itself, valid up to {@link #size()} until the next write: for copying without a copy. */
    public byte[] buffer() {
        return buf;
    }

    private void ensure(int n) {
        if (buf.length - pos < n) {
            long want = Math.max((long) buf.length * 2, (long) pos + n);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("an encoded value would exceed 2 GB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public ByteWriter writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
        return this;
    }

    public ByteWriter writeBoolean(boolean b) {
        return writeByte(b ? 1 : 0);
    }

    public ByteWriter writeShort(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteWriter writeInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteWriter writeLong(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buf[pos++] = (byte) (v >>> s);
        }
        return this;
    }

    public ByteWriter writeFloat(float v) {
        return writeInt(Float.floatToRawIntBits(v));
    }

    public ByteWriter writeDouble(double v) {
        return writeLong(Double.doubleToRawLongBits(v));
    }

    /** An int as an unsigned varint: 1 byte below 128, at most 5. */
    public ByteWriter writeVarInt(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    /** A long as an unsigned varint: 1 byte below 128, at most 10. */
    public ByteWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    /** An int as a zig-zag varint: small magnitudes of either sign are short. */
    public ByteWriter writeSignedVarInt(int v) {
        return writeVarInt((v << 1) ^ (v >> 31));
    }

    /** A long as a zig-zag varint. */
    public ByteWriter writeSignedVarLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    /**
     * A non-null string. Strings whose characters all fit in a byte (ASCII and Latin-1, the usual
     * case for keys) take one byte a character and are copied without an intermediate array;
     * others take two bytes a character, which keeps every Java string, unpaired surrogates
     * included, exactly as it was. With {@link #reset(SentStrings)}, a string sent before is its
     * number + 1 as a varint, and any other is a 0 byte and then the string as above.
     */
    public ByteWriter writeString(String s) {
        if (sent != null) {
            int id = sent.idOrAdd(s);
            if (id >= 0) {
                return writeVarInt(id + 1);
            }
            writeByte(0);
        }
        return writeWhole(s);
    }

    @SuppressWarnings("deprecation")
    private ByteWriter writeWhole(String s) {
        int n = s.length();
        boolean narrow = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) > 0xFF) {
                narrow = false;
                break;
            }
        }
        if (narrow) {
            writeVarInt(n << 1);
            ensure(n);
            // Copies the low byte of each char: exact for Latin-1, and no temporary array.
            s.getBytes(0, n, buf, pos);
            pos += n;
        } else {
            writeVarInt((n << 1) | 1);
            ensure(2 * n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                buf[pos++] = (byte) (c >>> 8);
                buf[pos++] = (byte) c;
            }
        }
        return this;
    }

    /** A non-null byte array, with its length. */
    public ByteWriter writeBytes(byte[] b) {
        writeVarInt(b.length);
        return writeRaw(b, 0, b.length);
    }

    /** Bytes as they are, without a length. */
    public ByteWriter writeRaw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /**
     * Any value the registry can encode, or null: its type's index in the registry, then the value.
     *
     * @throws MissingCodecException when the registry has no codec for its class
     */
    public ByteWriter writeObject(Object value) {
        if (++depth > MAX_DEPTH) {
            depth = 0;
            throw new IllegalArgumentException("a value nests deeper than " + MAX_DEPTH
                    + " levels (a cyclic structure?) and cannot be encoded");
        }
        try {
            registry.write(this, value);
        } finally {
            depth--;
        }
        return this;
    }
}
