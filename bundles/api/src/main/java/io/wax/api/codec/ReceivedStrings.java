package io.wax.api.codec;

import java.util.Arrays;

/**
 * The reading side of {@link SentStrings}: the strings one reader has read whole from one writer,
 * by their number. Given to a {@link ByteReader}, it turns a number back into the string made the
 * first time, and rejects a number it never gave as a {@link DecodeException}.
 *
 * <p>Not thread-safe: one per receiving thread and sender.
 */
public final class ReceivedStrings {
    private String[] strings = new String[64];
    private int size;

    /** Strings numbered so far. */
    public int size() {
        return size;
    }

    String get(int id) {
        if (id < 0 || id >= size) {
            throw new DecodeException("string number " + Integer.toUnsignedString(id) + " was never sent (" + size
                    + " numbered so far)");
        }
        return strings[id];
    }

    /** Numbers {@code s}, read whole, by the rule of {@link SentStrings}. */
    void read(String s) {
        if (s.length() <= StringCache.MAX_LENGTH && size < SentStrings.CAPACITY) {
            if (size == strings.length) {
                strings = Arrays.copyOf(strings, size * 2);
            }
            strings[size++] = s;
        }
    }
}
