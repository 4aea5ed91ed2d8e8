package io.wax.bench;

import java.util.LinkedHashSet;

/** The benchmark data of BENCHMARKS.md: every item is a pure function of its index. Shared by W1-W4. */
public final class Data {
    public static final long SEED = 0x5EED_2025_0001L;

    private Data() {
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long stream(long salt, long i) {
        return mix(SEED + salt + i * 0x9E3779B97F4A7C15L);
    }

    /** The 10,000 words of W2, in order of discovery. */
    static final String[] WORDS = vocabulary();

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
