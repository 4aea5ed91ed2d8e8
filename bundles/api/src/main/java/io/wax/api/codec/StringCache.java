package io.wax.api.codec;

/**
 * Remembers recently decoded short strings, so that decoding the same key again returns the same
 * {@code String} instance. Keyed streams repeat their keys: a cached instance arrives with its hash
 * code already computed and compares equal to the key a stateful step already holds by identity,
 * and no new string is allocated for it. A fixed table of slots, each holding the last string whose
 * bytes hashed to it: bounded, and never wrong (a hit is checked byte by byte).
 *
 * <p>A cache made with a {@link Known} consults it on a miss: the strings its reader's consumer
 * already holds (the engine passes a stateful step's table of keys). A decoded key is then the very
 * instance the consumer holds, so the consumer's lookup matches it by identity, not character by
 * character, even when the keys outnumber the slots.
 *
 * <p>Not thread-safe: one per reading thread (the engine keeps one per worker and stateful step).
 */
public final class StringCache {
    /** Longer strings are rarely keys and cost more to compare than to build. */
    static final int MAX_LENGTH = 32;

    /** Strings the reader's consumer already holds, found by their bytes. */
    public interface Known {
        /**
         * The held string whose characters are the Latin-1 bytes {@code buf[off, off + n)}, or null;
         * {@code hash} is those bytes' {@link String#hashCode()}.
         */
        String find(byte[] buf, int off, int n, int hash);
    }

    private final String[] slots;
    private final int mask;
    private final Known known;

    /** A cache of {@code 2^bits} slots. */
    public StringCache(int bits) {
        this(bits, null);
    }

    /** A cache of {@code 2^bits} slots that consults {@code known} (if not null) on a miss. */
    public StringCache(int bits, Known known) {
        if (bits < 1 || bits > 20) {
            throw new IllegalArgumentException("bits must be 1..20, got " + bits);
        }
        slots = new String[1 << bits];
        mask = slots.length - 1;
        this.known = known;
    }

    /** The Latin-1 string of {@code buf[off, off + n)}: the cached instance when it holds these characters. */
    @SuppressWarnings("deprecation")
    String latin1(byte[] buf, int off, int n) {
        // String.hashCode of these Latin-1 characters, so that a Known can probe with it.
        int h = 0;
        for (int i = 0; i < n; i++) {
            h = 31 * h + (buf[off + i] & 0xFF);
        }
        int slot = (h ^ (h >>> 16)) & mask;
        String s = slots[slot];
        if (s != null && same(s, buf, off, n)) {
            return s;
        }
        s = known == null ? null : known.find(buf, off, n, h);
        if (s == null) {
            s = new String(buf, 0, off, n);
        }
        slots[slot] = s;
        return s;
    }

    /**
     * Makes {@code s} the instance this cache gives for its characters: a consumer that found a
     * decoded string equal to, but not the same as, the one it holds passes its own, so that the
     * next decode gives that one (a slot may hold a string made before the consumer held its key).
     */
    public void adopt(String s) {
        if (s.length() <= MAX_LENGTH) {
            int h = s.hashCode();
            slots[(h ^ (h >>> 16)) & mask] = s;
        }
    }

    private static boolean same(String s, byte[] buf, int off, int n) {
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (buf[off + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
