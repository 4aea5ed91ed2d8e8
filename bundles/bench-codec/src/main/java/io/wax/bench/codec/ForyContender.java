package io.wax.bench.codec;

import io.wax.api.KV;
import org.apache.fory.Fory;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;

/**
 * Apache Fory configured as it would have to be for bytes from the network: class registration
 * required, no reference tracking. Keys go through Fory's own string writer, items through
 * {@code serialize}, which writes a one-byte header and the class's id per call.
 */
final class ForyContender implements Contender {
    private final Fory fory;
    private final MemoryBuffer out = MemoryBuffer.newHeapBuffer(32 * 1024);

    /** @param loader the class loader Fory resolves classes with, or null for its default */
    ForyContender(ClassLoader loader) {
        var b = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(true).withRefTracking(false);
        if (loader != null) {
            b.withClassLoader(loader);
        }
        fory = b.build();
        fory.register(KV.class);
    }

    @Override
    public String name() {
        return "fory";
    }

    @Override
    public byte[] encodePairs(String[] keys, Object[] values) {
        out.writerIndex(0);
        for (int i = 0; i < keys.length; i++) {
            fory.writeJavaString(out, keys[i]);
            fory.serialize(out, values[i]);
        }
        return out.getBytes(0, out.writerIndex());
    }

    @Override
    public byte[] encodeObjects(Object[] values) {
        out.writerIndex(0);
        for (Object v : values) {
            fory.serialize(out, v);
        }
        return out.getBytes(0, out.writerIndex());
    }

    @Override
    public int decodePairs(byte[] bytes, Object[] into) {
        MemoryBuffer in = MemoryBuffer.fromByteArray(bytes, 0, bytes.length);
        int n = 0;
        while (in.readerIndex() < bytes.length) {
            into[n++] = fory.readJavaString(in);
            into[n++] = fory.deserialize(in);
        }
        return n;
    }

    @Override
    public int decodeObjects(byte[] bytes, Object[] into) {
        MemoryBuffer in = MemoryBuffer.fromByteArray(bytes, 0, bytes.length);
        int n = 0;
        while (in.readerIndex() < bytes.length) {
            into[n++] = fory.deserialize(in);
        }
        return n;
    }
}
