package io.wax.engine.internal;

import io.wax.plan.KeyedBatch;
import java.util.List;

/**
 * One worker's spare keyed batches, used on that worker's thread only. The batches the engine
 * makes for keyed items on their way to a keyed step (key_on's output, an exchange's parts) come
 * from here, and the one reader of such a batch hands it back once read
 * ({@link KeyedBatch#recyclable}): W2 then fills the same few arrays again instead of allocating
 * 8 bytes per item per batch at each stage. A batch handed back on another worker than the one
 * that took it joins that worker's pool; that evens out, as every worker sends about as much as
 * it receives.
 *
 * <p>Only batches that are handed back come from here: a stateful step's output usually ends in
 * a sink, which keeps it, and taking those from the pool would only empty it.
 */
final class BatchPool {
    /** At most this many items' worth of spare batches (about 512 KB): bursts beyond go to the collector. */
    private static final int MAX_HELD = 1 << 16;

    private KeyedBatch<?>[] spare = new KeyedBatch<?>[16];
    private int count;
    /** The capacities of the spare batches, summed. */
    private int held;

    /** An empty recyclable batch for about {@code capacity} items (it grows as any batch does). */
    @SuppressWarnings("unchecked")
    <V> KeyedBatch<V> take(int capacity) {
        if (count == 0) {
            return KeyedBatch.recyclable(capacity);
        }
        KeyedBatch<V> b = (KeyedBatch<V>) spare[--count];
        spare[count] = null;
        held -= b.capacity();
        return b;
    }

    /** Hands {@code batch} back if it is a recyclable keyed batch, which its one reader is done with. */
    void give(List<?> batch) {
        if (!(batch instanceof KeyedBatch<?> kb) || !kb.isRecyclable()) {
            return;
        }
        int cap = kb.capacity();
        if (held + cap > MAX_HELD) {
            // Not kept: left to the collector, and never to be recycled by anyone else either.
            kb.pin();
            return;
        }
        kb.recycle();
        if (count == spare.length) {
            spare = java.util.Arrays.copyOf(spare, 2 * count);
        }
        spare[count++] = kb;
        held += cap;
    }
}
