package io.wax.bench.codec;

import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.CodecRegistry;
import io.wax.api.codec.StringCache;

/** Wax's own codecs, called as the engine's frames call them ({@code Frames} in the engine). */
final class WaxContender implements Contender {
    private final CodecRegistry registry = CodecRegistry.builtIn();
    private final ByteWriter out = new ByteWriter(registry, 32 * 1024);
    /** The receiving worker's cache of recent keys, as the engine gives each worker. */
    private final StringCache strings = new StringCache(12);

    @Override
    public String name() {
        return "wax";
    }

    @Override
    public byte[] encodePairs(String[] keys, Object[] values) {
        out.reset();
        for (int i = 0; i < keys.length; i++) {
            out.writeString(keys[i]);
            out.writeObject(values[i]);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] encodeObjects(Object[] values) {
        out.reset();
        for (Object v : values) {
            out.writeObject(v);
        }
        return out.toByteArray();
    }

    @Override
    public int decodePairs(byte[] bytes, Object[] into) {
        ByteReader in = new ByteReader(registry, bytes, 0, bytes.length, strings);
        int n = 0;
        while (in.remaining() > 0) {
            into[n++] = in.readString();
            into[n++] = in.readObject();
        }
        return n;
    }

    @Override
    public int decodeObjects(byte[] bytes, Object[] into) {
        ByteReader in = new ByteReader(registry, bytes);
        int n = 0;
        while (in.remaining() > 0) {
            into[n++] = in.readObject();
        }
        return n;
    }
}
