package io.wax.bench.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.codec.DecodeException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Feeds the same hostile bytes to Wax's codecs, Kryo and Fory (each configured for untrusted
 * input, see their {@link Contender}s): random bytes, every truncation of valid batches, and valid
 * batches with a huge length (a maximal varint) put in at each of their first positions. Records per
 * library the outcomes, the most bytes one decode allocated, out-of-memory errors and the class
 * names it asked its class loader for. Runs in a 256 MB heap (see the pom), so that a huge array
 * fails at once; a library is given at most {@link #MAX_OOM} out-of-memory errors, to stay fast.
 *
 * <p>Wax must turn every input into a value or a {@link DecodeException}, allocate less than
 * {@link #BOUND} per input and ask for no class. The libraries' findings are what the README says
 * of them; should a later version do better, this test fails and the README must change.
 */
class HostileBytesProbeTest {
    /** The most one decode of an input of a few hundred bytes may allocate. */
    static final long BOUND = 1 << 20;
    static final int MAX_OOM = 50;
    static final int FIRST_POSITIONS = 24;

    /** Counts the class names a library asks for; it never finds one on its own. */
    static final class CountingLoader extends ClassLoader {
        final Set<String> asked = new TreeSet<>();

        CountingLoader() {
            super(HostileBytesProbeTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (asked) {
                asked.add(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    record Finding(String lib, int inputs, int values, int decodeErrors, int otherErrors, int oom, long maxAllocated,
                   Set<String> asked, List<String> otherKinds) {
        boolean unsafe() {
            return oom > 0 || maxAllocated >= BOUND || !asked.isEmpty();
        }
    }

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void waxRefusesHostileBytesWithinBoundsKryoAndForyDoNot() {
        long t0 = System.nanoTime();
        CountingLoader waxLoader = new CountingLoader();
        Finding wax = probe(new WaxContender(), waxLoader, DecodeException.class);
        CountingLoader kryoLoader = new CountingLoader();
        Finding kryo = probe(new KryoContender(kryoLoader), kryoLoader, com.esotericsoftware.kryo.KryoException.class);
        CountingLoader foryLoader = new CountingLoader();
        Finding fory = probe(new ForyContender(foryLoader), foryLoader, RuntimeException.class);
        for (Finding f : List.of(wax, kryo, fory)) {
            System.out.printf("FINDING %s inputs=%d values=%d decode-errors=%d other-errors=%d %s out-of-memory=%d"
                            + " max-allocated=%.1f MiB class-lookups=%d %s%n", f.lib(), f.inputs(), f.values(),
                    f.decodeErrors(), f.otherErrors(), f.otherKinds(), f.oom(), f.maxAllocated() / 1048576.0,
                    f.asked().size(), f.asked().stream().limit(12).toList());
        }
        System.out.printf("# probe took %.1f s%n", (System.nanoTime() - t0) / 1e9);

        assertEquals(0, wax.otherErrors(), "Wax threw something other than DecodeException: " + wax.otherKinds());
        assertEquals(0, wax.oom(), "Wax ran out of memory");
        assertTrue(wax.maxAllocated() < BOUND, "Wax allocated " + wax.maxAllocated() + " bytes for one input");
        assertTrue(wax.asked().isEmpty(), "Wax asked for classes: " + wax.asked());
        assertTrue(wax.decodeErrors() > wax.inputs() / 2, "most hostile inputs should be refused: " + wax);
        assertTrue(kryo.unsafe(), "Kryo was safe on hostile bytes; update the README: " + kryo);
        assertTrue(fory.unsafe(), "Fory was safe on hostile bytes; update the README: " + fory);
    }

    private static Finding probe(Contender c, ClassLoader loader, Class<? extends RuntimeException> decodeError) {
        List<byte[]> pairs = new ArrayList<>();
        List<byte[]> objects = new ArrayList<>();
        W2Batch b = new W2Batch();
        String[] keys = Arrays.copyOf(b.words, 16);
        pairs.add(c.encodePairs(keys, keys));
        pairs.add(c.encodePairs(keys, Arrays.copyOf(b.counts, 16)));
        objects.add(c.encodeObjects(Arrays.copyOf(b.outputs, 16)));

        int[] counts = new int[5]; // inputs, values, decode errors, other errors, oom
        long[] maxAllocated = new long[1];
        List<String> otherKinds = new ArrayList<>();
        Object[] into = new Object[4096];
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        // Valid bytes first, so that what a library loads to decode W2's types at all (Fory
        // generates a serializer on first use) is not counted against hostile bytes.
        for (byte[] v : pairs) {
            c.decodePairs(v, into);
        }
        c.decodeObjects(objects.get(0), into);
        if (loader instanceof CountingLoader cl) {
            cl.asked.clear();
        }
        try {
            for (int kind = 0; kind < 2; kind++) {
                boolean isPairs = kind == 0;
                List<byte[]> valid = isPairs ? pairs : objects;
                List<byte[]> hostile = new ArrayList<>();
                Random random = new Random(42 + kind);
                for (int i = 0; i < 1000; i++) {
                    byte[] r = new byte[1 + random.nextInt(64)];
                    random.nextBytes(r);
                    hostile.add(r);
                }
                for (byte[] v : valid) {
                    for (int len = 1; len < v.length; len++) {
                        hostile.add(Arrays.copyOf(v, len));
                    }
                }
                List<byte[]> oversized = new ArrayList<>();
                byte[][] huge = {{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
                        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x3F}};
                for (byte[] v : valid) {
                    for (int at = 0; at < FIRST_POSITIONS; at++) {
                        for (byte[] h : huge) {
                            byte[] o = new byte[v.length + h.length];
                            System.arraycopy(v, 0, o, 0, at);
                            System.arraycopy(h, 0, o, at, h.length);
                            System.arraycopy(v, at, o, at + h.length, v.length - at);
                            oversized.add(o);
                        }
                    }
                }
                hostile.addAll(oversized);
                for (byte[] in : hostile) {
                    if (counts[4] >= MAX_OOM) {
                        break; // each one costs a full collection
                    }
                    counts[0]++;
                    long a0 = MX.getCurrentThreadAllocatedBytes();
                    try {
                        if (isPairs) {
                            c.decodePairs(in, into);
                        } else {
                            c.decodeObjects(in, into);
                        }
                        counts[1]++;
                    } catch (OutOfMemoryError e) {
                        counts[4]++;
                    } catch (Throwable e) {
                        if (decodeError.isInstance(e)) {
                            counts[2]++;
                        } else {
                            counts[3]++;
                            if (otherKinds.size() < 5 && !otherKinds.contains(e.getClass().getSimpleName())) {
                                otherKinds.add(e.getClass().getSimpleName());
                            }
                        }
                    }
                    maxAllocated[0] = Math.max(maxAllocated[0], MX.getCurrentThreadAllocatedBytes() - a0);
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        Set<String> asked = loader instanceof CountingLoader cl ? cl.asked : Set.of();
        return new Finding(c.name(), counts[0], counts[1], counts[2], counts[3], counts[4], maxAllocated[0], asked,
                otherKinds);
    }
}
