package io.wax.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strings sent through a {@link SentStrings} and read back through the matching {@link ReceivedStrings}. */
class StringNumberingTest {
    private static final CodecRegistry REGISTRY = CodecRegistry.builtIn();
    private static final String LONG = "a string longer than the thirty-two characters that are numbered";

    @Test
    void aStringSentAgainGoesAsItsNumberAndReadsBackAsTheSameInstance() {
        SentStrings sent = new SentStrings();
        ReceivedStrings received = new ReceivedStrings();
        ByteWriter w = new ByteWriter(REGISTRY);
        List<String> strings = List.of("apple", "pear", "ünïcödé ☃", "", "apple", LONG, "pear", LONG, "ünïcödé ☃");
        // Frames read in the order written, each by a reader of its own, as the engine does.
        List<String> read = new ArrayList<>();
        int[] sizes = new int[strings.size()];
        for (int i = 0; i < strings.size(); i++) {
            w.reset(sent).writeString(strings.get(i)).writeObject(strings.get(i));
            sizes[i] = w.size();
            ByteReader r = new ByteReader(REGISTRY, w.toByteArray(), 0, w.size(), null, received);
            String s = r.readString();
            assertEquals(s, r.readObject());
            r.expectEnd();
            read.add(s);
        }
        assertEquals(strings, read);
        assertEquals(4, sent.size(), "apple, pear, the snowman and the empty string are numbered; the long one is not");
        assertEquals(sent.size(), received.size());
        assertSame(read.get(0), read.get(4));
        assertSame(read.get(1), read.get(6));
        assertSame(read.get(2), read.get(8));
        assertEquals(3, sizes[4], "apple sent again: its number, the string's type index, its number");
        assertTrue(sizes[7] > LONG.length(), "a long string is sent whole each time: " + sizes[7]);
    }

    @Test
    void pastTheCapacityNewStringsGoWholeOnBothSides() {
        SentStrings sent = new SentStrings();
        ReceivedStrings received = new ReceivedStrings();
        ByteWriter w = new ByteWriter(REGISTRY);
        int n = SentStrings.CAPACITY + 100;
        w.reset(sent);
        for (int i = 0; i < n; i++) {
            w.writeString("k" + i);
        }
        for (int i = 0; i < n; i += 1000) {
            w.writeString("k" + i);
        }
        ByteReader r = new ByteReader(REGISTRY, w.toByteArray(), 0, w.size(), null, received);
        for (int i = 0; i < n; i++) {
            assertEquals("k" + i, r.readString());
        }
        for (int i = 0; i < n; i += 1000) {
            assertEquals("k" + i, r.readString());
        }
        r.expectEnd();
        assertEquals(SentStrings.CAPACITY, sent.size());
        assertEquals(SentStrings.CAPACITY, received.size());
    }

    @Test
    void aNumberNeverSentIsRefused() {
        ByteWriter w = new ByteWriter(REGISTRY).reset(new SentStrings());
        w.writeString("only");
        w.writeVarInt(2); // the number 1: never given
        ByteReader r = new ByteReader(REGISTRY, w.toByteArray(), 0, w.size(), null, new ReceivedStrings());
        assertEquals("only", r.readString());
        DecodeException e = assertThrows(DecodeException.class, r::readString);
        assertTrue(e.getMessage().contains("string number 1 was never sent"), e.getMessage());
    }

    @Test
    void aPlainResetWritesStringsWholeAgain() {
        SentStrings sent = new SentStrings();
        ByteWriter w = new ByteWriter(REGISTRY).reset(sent);
        w.writeString("snapshot");
        // What the engine writes next with the same writer (a snapshot) must read without any numbering.
        w.reset().writeString("snapshot");
        assertEquals("snapshot", new ByteReader(REGISTRY, w.toByteArray()).readString());
        assertEquals(1, sent.size());
    }
}
