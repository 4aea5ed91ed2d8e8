package io.wax.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.CodecRegistry;
import io.wax.api.codec.DecodeException;
import io.wax.api.codec.ReceivedStrings;
import io.wax.api.codec.SentStrings;
import io.wax.api.codec.StringCache;
import io.wax.plan.KeyedBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batch frames: a batch's shape, and what each shape sends and reads back. */
class FramesTest {
    private static final CodecRegistry CODECS = CodecRegistry.builtIn();
    private static final List<String> WORDS = List.of("apple", "pear", "apple", "fig", "pear", "apple");

    /** One channel: the sender's numbering and the receiver's, as between two workers. */
    private final SentStrings sent = new SentStrings();
    private final ReceivedStrings received = new ReceivedStrings();
    private final Frames.Strings strings = new Frames.Strings() {
        private final StringCache cache = new StringCache(8);

        @Override
        public StringCache cache(int op) {
            return cache;
        }

        @Override
        public ReceivedStrings received(int op, int sender) {
            return received;
        }
    };

    private byte[] frame(List<Object> batch) {
        return frame(batch, sent);
    }

    private static byte[] frame(List<Object> batch, SentStrings numbering) {
        byte shape = Frames.shape(batch);
        ByteWriter items = new ByteWriter(CODECS, 64).reset(numbering);
        Frames.writeItems(items, batch, shape);
        return Frames.batch(new ByteWriter(CODECS, 64), 3, 1, 0, 2, 7L, shape, batch.size(), items);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> keyed(boolean valuesAreKeys) {
        KeyedBatch<Object> kb = new KeyedBatch<>(WORDS.size());
        for (String w : WORDS) {
            // new String: a value equal to its key but another object is not the key.
            kb.add(w, valuesAreKeys ? w : new String(w));
        }
        return (List<Object>) (Object) kb;
    }

    @Test
    void keyedItemsWhoseValuesAreTheirKeysSendOnlyTheKeys() {
        List<Object> self = keyed(true);
        assertEquals(Frames.KEYED_SELF, Frames.shape(self));
        byte[] f = frame(self);
        Msg m = Frames.decode(CODECS, f, strings);
        KeyedBatch<?> kb = assertInstanceOf(KeyedBatch.class, m.batch);
        assertEquals(WORDS.size(), kb.size());
        for (int i = 0; i < WORDS.size(); i++) {
            assertEquals(WORDS.get(i), kb.key(i));
            assertSame(kb.key(i), kb.value(i), "the value reads back as its key");
        }
        // The same items, with values that are other objects, on a channel of their own: key and value go.
        byte[] whole = frame(keyed(false), new SentStrings());
        assertTrue(f.length < whole.length - WORDS.size(), f.length + " bytes with only the keys, " + whole.length + " with the values");
    }

    @Test
    void aValueThatIsNotItsKeyGoesWithItsKey() {
        List<Object> batch = keyed(false);
        assertEquals(Frames.KEYED, Frames.shape(batch));
        KeyedBatch<?> kb = (KeyedBatch<?>) (Object) Frames.decode(CODECS, frame(batch), strings).batch;
        for (int i = 0; i < WORDS.size(); i++) {
            assertEquals(WORDS.get(i), kb.key(i));
            assertEquals(WORDS.get(i), kb.value(i));
        }
        // One value of another type among keys that are their values: the batch goes whole.
        KeyedBatch<Object> mixed = new KeyedBatch<>(2);
        mixed.add("a", "a");
        mixed.add("b", 42L);
        @SuppressWarnings("unchecked")
        List<Object> m = (List<Object>) (Object) mixed;
        assertEquals(Frames.KEYED, Frames.shape(m));
        KeyedBatch<?> back = (KeyedBatch<?>) (Object) Frames.decode(CODECS, frame(m), strings).batch;
        assertEquals("a", back.value(0));
        assertEquals(42L, back.value(1));
    }

    @Test
    void plainItemsKeepTheirShape() {
        List<Object> plain = List.of("x", 1L, "y");
        assertEquals(Frames.PLAIN, Frames.shape(plain));
        assertEquals(plain, Frames.decode(CODECS, frame(plain), strings).batch);
    }

    @Test
    void anUnknownShapeIsADecodeException() {
        byte[] f = frame(keyed(true));
        // The shape byte comes right after the head: kind, to, op, port, sender, epoch (one byte each here).
        f[6] = 9;
        DecodeException e = assertThrows(DecodeException.class, () -> Frames.decode(CODECS, f, strings));
        assertTrue(e.getMessage().contains("unknown batch shape 9"), e.getMessage());
    }
}
