package io.wax.bench.codec;

import io.wax.api.KV;
import java.util.HashMap;
import java.util.LinkedHashSet;

/**
 * One batch of W2's data as it would cross processes or go to a recovery store: {@link #SIZE}
 * consecutive words (the exchange keyed by word carries the word as key and item), each word's
 * running count (the state a snapshot holds per key), and the outputs {@code (word, count)}. The
 * batch is taken after {@link #START} items, so counts have the size they have mid-run.
 *
 * <p>The words are W2's of BENCHMARKS.md, generated here as in {@code io.wax.bench.Data} (this
 * module does not depend on the engine's harness).
 */
public final class W2Batch {
    /** The engine's batch size. */
    public static final int SIZE = 1024;
    /** Items before the batch: counts are then about 500, as in the middle of a 10 M item run. */
    static final long START = 5_000_000;

    public final String[] words = new String[SIZE];
    public final Long[] counts = new Long[SIZE];
    public final KV<Long>[] outputs;

    @SuppressWarnings("unchecked")
    public W2Batch() {
        HashMap<String, long[]> seen = new HashMap<>();
        outputs = new KV[SIZE];
        for (long i = 0; i < START + SIZE; i++) {
            String w = word(i);
            long c = ++seen.computeIfAbsent(w, k -> new long[1])[0];
            if (i >= START) {
                int j = (int) (i - START);
                words[j] = w;
                counts[j] = c;
                outputs[j] = new KV<>(w, c);
            }
        }
    }

    private static final long SEED = 0x5EED_2025_0001L;
    private static final String[] WORDS = vocabulary();

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long stream(long salt, long i) {
        return mix(SEED + salt + i * 0x9E3779B97F4A7C15L);
    }

    private static String[] vocabulary() {
        LinkedHashSet<String> words = new LinkedHashSet<>();
        for (long j = 0; words.size() < 10_000; j++) {
            long h = stream(0x1111, j);
            int len = 3 + (int) Long.remainderUnsigned(h, 8);
            long bits = mix(h);
            StringBuilder b = new StringBuilder(len);
            for (int c = 0; c < len; c++) {
                if (c % 12 == 11) {
                    bits = mix(bits);
                }
                b.append((char) ('a' + Long.remainderUnsigned(bits, 26)));
                bits = Long.divideUnsigned(bits, 26);
            }
            words.add(b.toString());
        }
        return words.toArray(String[]::new);
    }

    static String word(long i) {
        return WORDS[(int) Long.remainderUnsigned(stream(0x2222, i), 10_000)];
    }
}
