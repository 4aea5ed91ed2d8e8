package io.wax.api;

import io.wax.api.internal.Batches;
import io.wax.api.internal.CollectLogic;
import io.wax.api.internal.FoldFinalLogic;
import io.wax.api.internal.JoinLogic;
import io.wax.api.internal.StatefulAdapter;
import io.wax.api.internal.StatefulMapLogic;
import io.wax.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A stream of {@link KV} items. Stateful steps route each item to the worker that owns its key
 * (by {@link io.wax.api.io.StableHash}) and keep state per key.
 *
 * <pre>{@code
 * KeyedStream<Long> counts = words.keyOn("key", w -> w)
 *     .statefulMap("count", (Long n, String w) -> {
 *         long c = n == null ? 1 : n + 1;
 *         return Update.of(c, c);
 *     });
 * }</pre>
 */
public final class KeyedStream<V> extends Stream<KV<V>> {
    KeyedStream(Dataflow flow, String id, String scope) {
        super(flow, id, scope);
    }

    /** Views a stream of {@link KV} items as a keyed stream; adds no step. */
    public static <V> KeyedStream<V> of(Stream<KV<V>> stream) {
        return stream instanceof KeyedStream<V> k ? k : new KeyedStream<>(stream.flow, stream.id, stream.scope);
    }

    // ---- the core stateful operator ----

    /**
     * Keeps a logic per key, built by {@code builder} from the key's resumed state. Items are
     * exchanged to the key's owner first. Core operator {@code stateful_batch}.
     */
    public <R, S> KeyedStream<R> statefulBatch(String stepId, StatefulBatchBuilder<V, R, S> builder) {
        Dataflow.requireNonNull(builder, "logic builder", stepId);
        String full = flow.claim(scope, stepId);
        flow.provideCodecs(builder);
        flow.add(new Step.StatefulBatch(full, id, builder, full + ".down"));
        return new KeyedStream<>(flow, full + ".down", scope);
    }

    // ---- derived operators ----

    public <R> KeyedStream<R> mapValue(String stepId, MapFn<? super V, ? extends R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        return KeyedStream.of(nest(stepId, "map_value").<KV<R>>map("map", Batches.<V, R>onValue(fn))).atKeyed(scope);
    }

    public KeyedStream<V> filterValue(String stepId, FilterFn<? super V> fn) {
        Dataflow.requireNonNull(fn, "predicate", stepId);
        return KeyedStream.of(nest(stepId, "filter_value").filter("filter", kv -> fn.test(kv.value()))).atKeyed(scope);
    }

    public <R> KeyedStream<R> filterMapValue(String stepId, FilterMapFn<? super V, ? extends R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        Stream<KV<R>> s = nest(stepId, "filter_map_value").filterMap("filter_map", kv -> {
            R r = fn.apply(kv.value());
            return r == null ? null : new KV<>(kv.key(), r);
        });
        return KeyedStream.of(s).atKeyed(scope);
    }

    public <R> KeyedStream<R> flatMapValue(String stepId, FlatMapFn<? super V, ? extends R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        Stream<KV<R>> s = nest(stepId, "flat_map_value").flatMap("flat_map", kv -> {
            List<KV<R>> out = new ArrayList<>();
            for (R r : fn.apply(kv.value())) {
                out.add(new KV<>(kv.key(), r));
            }
            return out;
        });
        return KeyedStream.of(s).atKeyed(scope);
    }

    /** Drops the keys. */
    public Stream<V> keyRm(String stepId) {
        return nest(stepId, "key_rm").map("map", KV<V>::value).at(scope);
    }

    /** Like {@link #statefulBatch}, with values handed to the logic one at a time. */
    public <R, S> KeyedStream<R> stateful(String stepId, StatefulBuilder<V, R, S> builder) {
        Dataflow.requireNonNull(builder, "logic builder", stepId);
        return KeyedStream.of(nest(stepId, "stateful")
                .statefulBatch("stateful_batch", StatefulAdapter.builder(builder))).atKeyed(scope);
    }

    /** Maps each value with its key's state; a {@code null} new state discards the key. */
    public <S, R> KeyedStream<R> statefulMap(String stepId, StatefulMapFn<S, V, R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        return nest(stepId, "stateful_map").statefulBatch("stateful_batch", StatefulMapLogic.map(fn)).atKeyed(scope);
    }

    /** Like {@link #statefulMap}, emitting zero or more items per value. */
    public <S, R> KeyedStream<R> statefulFlatMap(String stepId, StatefulFlatMapFn<S, V, R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        return nest(stepId, "stateful_flat_map").statefulBatch("stateful_batch", StatefulMapLogic.flatMap(fn))
                .atKeyed(scope);
    }

    /**
     * Gathers each key's values into lists of at most {@code maxSize}, emitting a list when it is
     * full, {@code timeout} after its first value, or at end of input.
     */
    public KeyedStream<List<V>> collect(String stepId, Duration timeout, int maxSize) {
        if (maxSize < 1 || timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("step '" + stepId + "': collect needs a timeout >= 0 and maxSize >= 1, got "
                    + timeout + " and " + maxSize);
        }
        return nest(stepId, "collect").statefulBatch("stateful_batch", CollectLogic.<V>builder(timeout, maxSize))
                .atKeyed(scope);
    }

    /** Joins this stream with {@code others} by key, keeping the last value of each side and
     * emitting once every side has one. Each row holds one value per side, this stream first. */
    public KeyedStream<List<Object>> join(String stepId, List<? extends KeyedStream<?>> others) {
        return join(stepId, JoinInsert.LAST, JoinEmit.COMPLETE, others);
    }

    /** Joins by key with the given insert and emit modes; see {@link JoinInsert}, {@link JoinEmit}. */
    public KeyedStream<List<Object>> join(String stepId, JoinInsert insert, JoinEmit emit,
                                          List<? extends KeyedStream<?>> others) {
        Dataflow.requireNonNull(insert, "join insert mode", stepId);
        Dataflow.requireNonNull(emit, "join emit mode", stepId);
        Dataflow.requireNonNull(others, "list of streams to join with (List.of() for none)", stepId);
        for (KeyedStream<?> o : others) {
            sameScope(scope + "." + stepId, o);
        }
        Stream<KV<V>> in = nest(stepId, "join");
        List<KeyedStream<?>> sides = new ArrayList<>();
        sides.add(KeyedStream.of(in));
        sides.addAll(others);
        List<Stream<KV<JoinLogic.Tagged>>> tagged = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            int side = i;
            Stream<? extends KV<?>> s = sides.get(i);
            Stream<KV<?>> up = new Stream<>(flow, s.id, in.scope);
            tagged.add(up.map("tag_" + i, kv -> new KV<>(kv.key(), new JoinLogic.Tagged(side, kv.value()))));
        }
        Stream<KV<JoinLogic.Tagged>> merged = tagged.get(0).merge("merge", tagged.subList(1, tagged.size()));
        return KeyedStream.of(merged).statefulBatch("stateful_batch", JoinLogic.builder(sides.size(), insert, emit))
                .atKeyed(scope);
    }

    /** Folds each key's values, emitting the result at end of input. */
    public <S> KeyedStream<S> foldFinal(String stepId, InitFn<S> init, FoldFn<S, ? super V> folder) {
        Dataflow.requireNonNull(init, "initial value builder", stepId);
        Dataflow.requireNonNull(folder, "folder", stepId);
        return nest(stepId, "fold_final")
                .statefulBatch("stateful_batch", FoldFinalLogic.<S, V>builder(init, folder::fold)).atKeyed(scope);
    }

    /** Reduces each key's values pairwise, emitting the result at end of input. */
    public KeyedStream<V> reduceFinal(String stepId, ReduceFn<V> reducer) {
        Dataflow.requireNonNull(reducer, "reducer", stepId);
        return nest(stepId, "reduce_final")
                .foldFinal("fold_final", () -> null, (V acc, V v) -> acc == null ? v : reducer.reduce(acc, v))
                .atKeyed(scope);
    }

    /** The largest value per key by {@code order}, at end of input. */
    public KeyedStream<V> maxFinal(String stepId, Comparator<? super V> order) {
        Dataflow.requireNonNull(order, "comparator", stepId);
        return nest(stepId, "max_final").reduceFinal("reduce_final", (a, b) -> order.compare(b, a) > 0 ? b : a)
                .atKeyed(scope);
    }

    /** The smallest value per key by {@code order}, at end of input. */
    public KeyedStream<V> minFinal(String stepId, Comparator<? super V> order) {
        Dataflow.requireNonNull(order, "comparator", stepId);
        return nest(stepId, "min_final").reduceFinal("reduce_final", (a, b) -> order.compare(b, a) < 0 ? b : a)
                .atKeyed(scope);
    }

    // ---- keyed views of the key-preserving operators ----

    @Override
    public KeyedStream<V> filter(String stepId, FilterFn<? super KV<V>> fn) {
        return KeyedStream.of(super.filter(stepId, fn));
    }

    @Override
    public KeyedStream<V> inspect(String stepId, InspectFn<? super KV<V>> fn) {
        return KeyedStream.of(super.inspect(stepId, fn));
    }

    @Override
    public KeyedStream<V> inspectDebug(String stepId, InspectDebugFn<? super KV<V>> fn) {
        return new KeyedStream<>(flow, inspectDebugStep(stepId, fn), scope);
    }

    @Override
    public KeyedStream<V> redistribute(String stepId) {
        return KeyedStream.of(super.redistribute(stepId));
    }

    @Override
    public KeyedStream<V> merge(String stepId, List<? extends Stream<? extends KV<V>>> others) {
        return new KeyedStream<>(flow, mergeStep(stepId, others), scope);
    }

    KeyedStream<V> atKeyed(String outer) {
        return new KeyedStream<>(flow, id, outer);
    }

    @Override
    public KeyedStream<V> nest(String stepId, String operator) {
        return new KeyedStream<>(flow, id, flow.nest(scope, stepId, operator));
    }

    @Override
    public KeyedStream<V> inScopeOf(Stream<?> other) {
        return atKeyed(other.scope);
    }
}
