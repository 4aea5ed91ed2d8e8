package io.wax.bench.codec;

import io.wax.api.KV;
import io.wax.bench.Data;
import java.util.HashMap;

/**
 * One batch of W2's data as it would cross processes or go to a recovery store: {@link #SIZE}
 * consecutive words (the exchange keyed by word carries the word as key and item), each word's
 * running count (the state a snapshot holds per key), and the outputs {@code (word, count)}. The
 * batch is taken after {@link #START} items, so counts have the size they have mid-run.
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
            String w = Data.word(i);
            long c = ++seen.computeIfAbsent(w, k -> new long[1])[0];
            if (i >= START) {
                int j = (int) (i - START);
                words[j] = w;
                counts[j] = c;
                outputs[j] = new KV<>(w, c);
            }
        }
    }
}
