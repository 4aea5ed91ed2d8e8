package io.wax.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Bytes from a peer or a store are untrusted. Random, truncated and oversized inputs must give a
 * {@link DecodeException}: never an out-of-memory error, another exception, or a class load.
 */
class HostileBytesTest {
    record Pair(String name, long n) {
    }

    static final CodecRegistry REGISTRY = new Codecs().register(Pair.class).registry();

    /** Decodes, accepting a value or a DecodeException and nothing else. */
    static void decodeOrReject(byte[] bytes) {
        try {
            REGISTRY.decode(bytes);
        } catch (DecodeException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 3000)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 64) byte[] bytes) {
        decodeOrReject(bytes);
    }

    @Test
    void everyTruncationOfAValidEncodingIsRejected() {
        Object value = List.of(Map.of("k", new Pair("p", 42)), "text", 7L, new byte[] {1, 2, 3}, List.of(List.of(1.5)));
        byte[] whole = REGISTRY.encode(value);
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(whole, n);
            assertThrows(DecodeException.class, () -> REGISTRY.decode(cut), "truncated to " + n + " bytes");
        }
        byte[] extra = java.util.Arrays.copyOf(whole, whole.length + 1);
        assertThrows(DecodeException.class, () -> REGISTRY.decode(extra), "a trailing byte");
    }

    @Test
    void hugeCountsAndLengthsAreRejectedBeforeAnythingIsAllocated() {
        long before = usedHeap();
        // A list (type index of List) claiming 2^31-1 elements, a string claiming 1 GB, bytes claiming 2 GB.
        int list = indexOf(new ArrayList<>());
        int string = indexOf("");
        int bytes = indexOf(new byte[0]);
        for (byte[] hostile : List.of(
                concat(varint(list), varint(Integer.MAX_VALUE)),
                concat(varint(string), varint(Integer.MAX_VALUE & ~1)),
                concat(varint(string), varint(Integer.MAX_VALUE)),
                concat(varint(bytes), varint(Integer.MAX_VALUE)),
                concat(varint(bytes), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}))) {
            DecodeException e = assertThrows(DecodeException.class, () -> REGISTRY.decode(hostile));
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
        assertTrue(usedHeap() - before < 64L << 20, "decoding hostile sizes allocated " + (usedHeap() - before) + " bytes");
    }

    @Test
    void unknownTypeIndexesAreRejectedWithoutLoadingAClass() {
        DecodeException e = assertThrows(DecodeException.class, () -> REGISTRY.decode(varint(REGISTRY.size() + 5)));
        assertTrue(e.getMessage().contains("unknown type index"), e.getMessage());
    }

    @Test
    void deepNestingIsRejected() {
        int list = indexOf(new ArrayList<>());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            out.writeBytes(varint(list));
            out.writeBytes(varint(1));
        }
        out.write(0);
        DecodeException e = assertThrows(DecodeException.class, () -> REGISTRY.decode(out.toByteArray()));
        assertTrue(e.getMessage().contains("nest"), e.getMessage());
    }

    /**
     * Decoding names no class: once the decoder's own classes are loaded, thousands of hostile
     * inputs (which name every type index there is, and many there are not) load no new class.
     */
    @Test
    void decodingHostileBytesLoadsNoClass() {
        java.lang.management.ClassLoadingMXBean classes = java.lang.management.ManagementFactory.getClassLoadingMXBean();
        Random random = new Random(11);
        byte[][] inputs = new byte[5000][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new byte[1 + random.nextInt(24)];
            random.nextBytes(inputs[i]);
            inputs[i][0] = (byte) (i % (REGISTRY.size() + 8));
        }
        for (byte[] b : inputs) {
            decodeOrReject(b); // loads the decoder's classes and the exception's
        }
        long before = classes.getTotalLoadedClassCount();
        for (byte[] b : inputs) {
            decodeOrReject(b);
        }
        assertEquals(before, classes.getTotalLoadedClassCount(), "decoding loaded classes");
    }

    @Test
    void mutatedEncodingsDecodeOrFailCleanly() {
        Random random = new Random(7);
        byte[] whole = REGISTRY.encode(List.of(new Pair("name", -3), Map.of("a", List.of(1, 2)), "é€"));
        for (int i = 0; i < 20_000; i++) {
            byte[] b = whole.clone();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            decodeOrReject(b);
        }
    }

    @Test
    void aValueWithoutACodecNamesItsClassAndTheLineToAdd() {
        record Unregistered(int x) {
        }
        MissingCodecException e = assertThrows(MissingCodecException.class, () -> REGISTRY.encode(List.of(new Unregistered(1))));
        assertEquals(Unregistered.class, e.type());
        assertTrue(e.getMessage().contains("flow.codecs().register(Unregistered.class)"), e.getMessage());
        MissingCodecException other = assertThrows(MissingCodecException.class, () -> REGISTRY.encode(new Object()));
        assertTrue(other.getMessage().contains("register(Object.class, new ObjectCodec())"), other.getMessage());
    }

    @Test
    void theFingerprintChangesWithTheRegistrations() {
        record Other(String name, long n) {
        }
        assertEquals(REGISTRY.fingerprint(), new Codecs().register(Pair.class).registry().fingerprint());
        assertTrue(REGISTRY.fingerprint() != CodecRegistry.builtIn().fingerprint());
        assertTrue(REGISTRY.fingerprint() != new Codecs().register(Other.class).registry().fingerprint());
    }

    private static int indexOf(Object sample) {
        return new ByteReader(REGISTRY, REGISTRY.encode(sample)).readVarInt();
    }

    private static byte[] varint(int v) {
        return new ByteWriter(REGISTRY).writeVarInt(v).toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
