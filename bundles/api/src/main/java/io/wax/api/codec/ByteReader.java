package io.wax.api.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads what a {@link ByteWriter} wrote, treating the bytes as untrusted: every read is checked
 * against the bytes that are left, and every length or count is checked before anything is
 * allocated for it, so truncated, oversized or random input gives a {@link DecodeException}, never
 * an out-of-memory error.
 */
public final class ByteReader {
    private final CodecRegistry registry;
    private final byte[] buf;
    private final int end;
    private final StringCache strings;
    private final ReceivedStrings received;
    private int pos;
    private int depth;

    public ByteReader(CodecRegistry registry, byte[] buf) {
        this(registry, buf, 0, buf.length, null);
    }

    public ByteReader(CodecRegistry registry, byte[] buf, int off, int len) {
        this(registry, buf, off, len, null);
    }

    /**
     * A reader that decodes short strings through {@code strings} (see {@link StringCache}), or
     * makes every string anew when it is null.
     */
    public ByteReader(CodecRegistry registry, byte[] buf, int off, int len, StringCache strings) {
        this(registry, buf, off, len, strings, null);
    }

    /**
     * A reader of bytes a {@link ByteWriter} wrote through a {@link SentStrings} (see {@link
     * ByteWriter#reset(SentStrings)}): {@code received} is that channel's other side, which this
     * reader updates as it reads; strings read whole are decoded through {@code strings}, if not null.
     */
    public ByteReader(CodecRegistry registry, byte[] buf, int off, int len, StringCache strings, ReceivedStrings received) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("bytes " + off + "+" + len + " of " + buf.length);
        }
        this.registry = registry;
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.strings = strings;
        this.received = received;
    }

    public CodecRegistry registry() {
        return registry;
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new DecodeException("truncated: needed " + n + " more byte(s) at offset " + pos + ", " + (end - pos)
                    + " left");
        }
    }

    public byte readByte() {
        need(1);
        return buf[pos++];
    }

    public boolean readBoolean() {
        byte b = readByte();
        if (b != 0 && b != 1) {
            throw new DecodeException("not a boolean: " + b + " at offset " + (pos - 1));
        }
        return b == 1;
    }

    public short readShort() {
        need(2);
        int v = (buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF);
        pos += 2;
        return (short) v;
    }

    public int readInt() {
        need(4);
        int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public int readVarInt() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (shift == 28 && (b & 0x70) != 0) {
                    break;
                }
                return v;
            }
        }
        throw new DecodeException("malformed varint at offset " + pos);
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (shift == 63 && (b & 0x7E) != 0) {
                    break;
                }
                return v;
            }
        }
        throw new DecodeException("malformed varint at offset " + pos);
    }

    public int readSignedVarInt() {
        int v = readVarInt();
        return (v >>> 1) ^ -(v & 1);
    }

    public long readSignedVarLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * A count of things that follow, each at least {@code minBytesEach} bytes long: checked against
     * the bytes left, so that a hostile count cannot make the caller allocate.
     */
    public int readCount(int minBytesEach) {
        int n = readVarInt();
        if (n < 0 || (long) n * Math.max(1, minBytesEach) > remaining()) {
            throw new DecodeException("a count of " + Integer.toUnsignedString(n) + " at offset " + pos
                    + " does not fit in the " + remaining() + " byte(s) left");
        }
        return n;
    }

    public String readString() {
        if (received != null) {
            int ref = readVarInt();
            if (ref != 0) {
                return received.get(ref - 1);
            }
            String s = readWhole();
            received.read(s);
            return s;
        }
        return readWhole();
    }

    private String readWhole() {
        int header = readVarInt();
        int n = header >>> 1;
        if ((header & 1) == 0) {
            need(n);
            String s = strings != null && n <= StringCache.MAX_LENGTH ? strings.latin1(buf, pos, n)
                    : new String(buf, pos, n, StandardCharsets.ISO_8859_1);
            pos += n;
            return s;
        }
        if ((long) n * 2 > remaining()) {
            throw new DecodeException("a string of " + n + " chars at offset " + pos + " does not fit in the "
                    + remaining() + " byte(s) left");
        }
        char[] cs = new char[n];
        for (int i = 0; i < n; i++) {
            cs[i] = (char) ((buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF));
            pos += 2;
        }
        return new String(cs);
    }

    public byte[] readBytes() {
        int n = readCount(1);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** A value written by {@link ByteWriter#writeObject}, or null. */
    public Object readObject() {
        if (++depth > ByteWriter.MAX_DEPTH) {
            throw new DecodeException("values nest deeper than " + ByteWriter.MAX_DEPTH + " levels at offset " + pos);
        }
        try {
            return registry.read(this);
        } finally {
            depth--;
        }
    }

    /** Fails unless every byte was read: trailing bytes mean the input was not what was written. */
    public void expectEnd() {
        if (pos != end) {
            throw new DecodeException((end - pos) + " byte(s) left over at offset " + pos);
        }
    }
}
