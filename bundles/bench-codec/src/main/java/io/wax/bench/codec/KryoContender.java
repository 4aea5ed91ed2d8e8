package io.wax.bench.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.wax.api.KV;

/**
 * Kryo 5 configured as it would have to be for bytes from the network: registration required
 * (a class is written as its registration id), no reference tracking (W2's values hold none).
 */
final class KryoContender implements Contender {
    private final Kryo kryo = new Kryo();
    private final Output out = new Output(32 * 1024, -1);

    /** @param loader the class loader Kryo resolves class names with, or null for its default */
    KryoContender(ClassLoader loader) {
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        if (loader != null) {
            kryo.setClassLoader(loader);
        }
        kryo.register(KV.class);
    }

    @Override
    public String name() {
        return "kryo";
    }

    @Override
    public byte[] encodePairs(String[] keys, Object[] values) {
        out.reset();
        for (int i = 0; i < keys.length; i++) {
            out.writeString(keys[i]);
            kryo.writeClassAndObject(out, values[i]);
        }
        return out.toBytes();
    }

    @Override
    public byte[] encodeObjects(Object[] values) {
        out.reset();
        for (Object v : values) {
            kryo.writeClassAndObject(out, v);
        }
        return out.toBytes();
    }

    @Override
    public int decodePairs(byte[] bytes, Object[] into) {
        Input in = new Input(bytes);
        int n = 0;
        while (!in.end()) {
            into[n++] = in.readString();
            into[n++] = kryo.readClassAndObject(in);
        }
        return n;
    }

    @Override
    public int decodeObjects(byte[] bytes, Object[] into) {
        Input in = new Input(bytes);
        int n = 0;
        while (!in.end()) {
            into[n++] = kryo.readClassAndObject(in);
        }
        return n;
    }
}
