package io.wax.api;

import io.wax.api.internal.LongBatches;

/**
 * Operators on streams of {@code Long} that work on unboxed values: given {@link LongBatch}es
 * (from a source that emits them, or from another of these operators) they allocate nothing per
 * item, which matters for numeric flows where boxing would cost more than the work itself. They
 * accept any {@code List<Long>} batch and always emit {@code LongBatch}es. Each is a composite
 * of one {@code flat_map_batch} step nested under its step id.
 *
 * <pre>{@code
 * Stream<Long> tripled = Longs.map("triple", numbers, x -> x * 3);
 * Stream<Long> evens = Longs.filter("even", tripled, x -> (x & 1) == 0);
 * }</pre>
 */
public final class Longs {
    private Longs() {
    }

    /** One value out per value in. */
    public static Stream<Long> map(String stepId, Stream<Long> up, LongMapFn fn) {
        Dataflow.requireNonNull(fn, "long mapper", stepId);
        return up.nest(stepId, "map_long").flatMapBatch("flat_map_batch", LongBatches.map(fn)).inScopeOf(up);
    }

    /** Keeps the values the predicate accepts. */
    public static Stream<Long> filter(String stepId, Stream<Long> up, LongFilterFn fn) {
        Dataflow.requireNonNull(fn, "long predicate", stepId);
        return up.nest(stepId, "filter_long").flatMapBatch("flat_map_batch", LongBatches.filter(fn)).inScopeOf(up);
    }
}
