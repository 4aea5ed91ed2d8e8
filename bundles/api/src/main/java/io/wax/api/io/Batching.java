package io.wax.api.io;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Helpers that group items into batches for a source partition's {@code nextBatch}, as Bytewax's
 * {@code bytewax.inputs.batch} and {@code batch_getter}. For a blocking or asynchronous producer
 * use {@link AsyncBatcher}, which batches by size and timeout.
 *
 * <pre>{@code
 * Iterator<List<String>> batches = Batching.batch(lines.iterator(), 100);
 * // in nextBatch(): return batches.hasNext() ? batches.next() : null;
 * }</pre>
 */
public final class Batching {
    private Batching() {
    }

    /** The items of {@code it} in lists of {@code size}, the last one possibly shorter. */
    public static <T> Iterator<List<T>> batch(Iterator<? extends T> it, int size) {
        checkSize(size);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public List<T> next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<T> b = new ArrayList<>(size);
                while (b.size() < size && it.hasNext()) {
                    b.add(it.next());
                }
                return b;
            }
        };
    }

    /**
     * Calls {@code getter} until it has {@code size} items, or until it returns {@code yieldOn}
     * (compared with {@code equals}; {@code null} when it means "nothing now"), as Bytewax's
     * {@code batch_getter}: each call of the returned supplier makes one batch, possibly empty.
     */
    public static <T> Supplier<List<T>> batchGetter(Supplier<? extends T> getter, int size, T yieldOn) {
        checkSize(size);
        return () -> {
            List<T> b = new ArrayList<>();
            while (b.size() < size) {
                T x = getter.get();
                if (x == null ? yieldOn == null : x.equals(yieldOn)) {
                    break;
                }
                b.add(x);
            }
            return b;
        };
    }

    static void checkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
    }
}
