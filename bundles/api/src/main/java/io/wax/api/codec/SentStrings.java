package io.wax.api.codec;

/**
 * The short strings one writer has sent to one reader over an ordered channel, numbered in the
 * order they were first sent: a {@link ByteWriter} {@linkplain ByteWriter#reset(SentStrings) given
 * one} writes a string it has sent before as its number, and the reader, with the matching
 * {@link ReceivedStrings}, turns the number back into the string it made the first time. Keyed
 * streams repeat their keys, so most keys then cross as one or two bytes, and the reader neither
 * hashes nor compares their characters: it gets the same instance every time, which a stateful
 * step's table of keys matches by identity.
 *
 * <p>Both sides number a string by the same rule, applied to the strings in the order they are
 * written and read: a string sent whole is numbered when it is at most 32 characters long (the
 * longest {@link StringCache} keeps) and fewer than 16,384 strings are numbered.
 * After that, new strings go whole, so the memory is bounded on both sides. Bytes written with one
 * can only be read, once and in order, by a reader holding the other side of the same channel: the
 * engine uses them for the frames between two workers, never for what it stores.
 *
 * <p>Not thread-safe: one per sending thread and receiver.
 */
public final class SentStrings {
    /** Strings numbered at most, per channel: 16,384 (two-byte numbers), at most 256 KB of table. */
    static final int CAPACITY = 1 << 14;

    /** Open addressing on String.hashCode (cached in the string): the strings, and their numbers. */
    private String[] keys = new String[64];
    private int[] ids = new int[64];
    private int size;

    /** Strings numbered so far. */
    public int size() {
        return size;
    }

    /**
     * The number of {@code s} if it was sent before; otherwise -1, after numbering {@code s} if the
     * rule allows, since the caller now sends it whole.
     */
    int idOrAdd(String s) {
        int h = s.hashCode();
        String[] k = keys;
        int mask = k.length - 1;
        int i = (h ^ (h >>> 16)) & mask;
        for (String e; (e = k[i]) != null; i = (i + 1) & mask) {
            if (e == s || e.equals(s)) {
                return ids[i];
            }
        }
        if (s.length() <= StringCache.MAX_LENGTH && size < CAPACITY) {
            k[i] = s;
            ids[i] = size++;
            if (2 * size > k.length) {
                grow();
            }
        }
        return -1;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new String[oldKeys.length * 2];
        ids = new int[keys.length];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            String s = oldKeys[j];
            if (s != null) {
                int h = s.hashCode();
                int i = (h ^ (h >>> 16)) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = s;
                ids[i] = oldIds[j];
            }
        }
    }
}
