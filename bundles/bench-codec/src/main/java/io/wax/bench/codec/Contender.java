package io.wax.bench.codec;

import io.wax.api.KV;

/**
 * One way of turning W2's three shapes into bytes and back, written as a Wax frame would be: a
 * batch goes into one buffer, item after item.
 * <ul>
 *   <li>exchange: each item as the keyed exchange sends it, the key string and then the item;</li>
 *   <li>state: each key string and then its running count, as a snapshot holds them;</li>
 *   <li>outputs: each {@code KV(word, count)} as one object.</li>
 * </ul>
 * Decoding reads to the end of its input, so that hostile bytes reach every read path.
 */
public interface Contender {
    String name();

    byte[] encodePairs(String[] keys, Object[] values);

    byte[] encodeObjects(Object[] values);

    /** Decodes what {@link #encodePairs} wrote into {@code into} (key, value, key, ...); returns the count. */
    int decodePairs(byte[] bytes, Object[] into);

    /** Decodes what {@link #encodeObjects} wrote into {@code into}; returns the count. */
    int decodeObjects(byte[] bytes, Object[] into);

    /** The three contenders, each with its own buffers (none is thread-safe). */
    static Contender[] all() {
        return new Contender[] {new WaxContender(), new KryoContender(null), new ForyContender(null)};
    }

    static byte[] exchange(Contender c, W2Batch b) {
        return c.encodePairs(b.words, b.words);
    }

    static byte[] state(Contender c, W2Batch b) {
        return c.encodePairs(b.words, b.counts);
    }

    static byte[] outputs(Contender c, W2Batch b) {
        return c.encodeObjects((KV<?>[]) b.outputs);
    }
}
