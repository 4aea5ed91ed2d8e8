package io.wax.api.codec;

/**
 * Remembers recently decoded short strings, so that decoding the same key again returns the same
 * {@code String} instance. Keyed streams repeat their keys: a cached instance arrives with its hash
 * code already computed and compares equal to the key a stateful step already holds by identity,
 * and no new string is allocated for it. A fixed table of slots, each holding the last string whose
 * bytes hashed to it: bounded, and never wrong (a hit is checked byte by byte).
 *
 * <p>Not thread-safe: one per reading thread (the engine keeps one per worker).
 */
public final class StringCache {
    /** Longer strings are rarely keys and cost more to compare than to build. */
    static final int MAX_LENGTH = 32;

    private final String[] slots;
    private final int mask;

    /** A cache of {@code 2^bits} slots. */
    public StringCache(int bits) {
        if (bits < 1 || bits > 20) {
            throw new IllegalArgumentException("bits must be 1..20, got " + bits);
        }
        slots = new String[1 << bits];
        mask = slots.length - 1;
    }

    /** The Latin-1 string of {@code buf[off, off + n)}: the cached instance when it holds these characters. */
    @SuppressWarnings("deprecation")
    String latin1(byte[] buf, int off, int n) {
        int h = 0;
        for (int i = 0; i < n; i++) {
            h = 31 * h + (buf[off + i] & 0xFF);
        }
        int slot = (h ^ (h >>> 16)) & mask;
        String s = slots[slot];
        if (s != null && s.length() == n && same(s, buf, off, n)) {
            return s;
        }
        s = new String(buf, 0, off, n);
        slots[slot] = s;
        return s;
    }

    private static boolean same(String s, byte[] buf, int off, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (buf[off + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
