package io.wax.api;

import io.wax.api.internal.Batches;
import io.wax.api.internal.TtlCache;
import io.wax.api.internal.ItemWise;
import io.wax.api.io.Sink;
import io.wax.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stream of items in a {@link Dataflow}. Methods add steps to the flow and return the streams
 * they produce; a stream may feed several steps. Core operators are marked as such; every other
 * method is a short composition of them, whose inner steps are nested under its step id.
 *
 * <pre>{@code
 * Stream<Integer> evens = numbers.filter("evens", x -> x % 2 == 0);
 * }</pre>
 */
public class Stream<T> {
    final Dataflow flow;
    final String id;
    final String scope;

    Stream(Dataflow flow, String id, String scope) {
        this.flow = flow;
        this.id = id;
        this.scope = scope;
    }

    /** The stream's id: the id of the step that writes it plus the output's name. */
    public String id() {
        return id;
    }

    public Dataflow flow() {
        return flow;
    }

    // ---- core operators ----

    /** Transforms whole batches. Core operator {@code flat_map_batch}. */
    public <R> Stream<R> flatMapBatch(String stepId, BatchFn<? super T, R> fn) {
        Dataflow.requireNonNull(fn, "batch function", stepId);
        String full = flow.claim(scope, stepId);
        flow.add(new Step.FlatMapBatch(full, id, fn, full + ".down"));
        return new Stream<>(flow, full + ".down", scope);
    }

    /** Splits the stream by a predicate. Core operator {@code branch}. */
    public Branch<T> branch(String stepId, FilterFn<? super T> predicate) {
        Dataflow.requireNonNull(predicate, "predicate", stepId);
        String full = flow.claim(scope, stepId);
        flow.add(new Step.Branch(full, id, predicate, full + ".trues", full + ".falses"));
        return new Branch<>(new Stream<>(flow, full + ".trues", scope), new Stream<>(flow, full + ".falses", scope));
    }

    /** Joins this stream and {@code others} into one. Core operator {@code merge}. */
    public Stream<T> merge(String stepId, List<? extends Stream<? extends T>> others) {
        return new Stream<>(flow, mergeStep(stepId, others), scope);
    }

    /** Spreads items evenly over every worker. Core operator {@code redistribute}. */
    public Stream<T> redistribute(String stepId) {
        String full = flow.claim(scope, stepId);
        flow.add(new Step.Redistribute(full, id, full + ".down"));
        return new Stream<>(flow, full + ".down", scope);
    }

    /** Observes each item with its epoch and worker. Core operator {@code inspect_debug}. */
    public Stream<T> inspectDebug(String stepId, InspectDebugFn<? super T> fn) {
        return new Stream<>(flow, inspectDebugStep(stepId, fn), scope);
    }

    /** Writes the stream to a sink. Core operator {@code output}. */
    public void output(String stepId, Sink<? super T> sink) {
        Dataflow.requireNonNull(sink, "sink", stepId);
        flow.provideCodecs(sink);
        flow.add(new Step.Output(flow.claim(scope, stepId), id, sink));
    }

    // ---- derived operators ----

    /** One item out per item in. */
    public <R> Stream<R> map(String stepId, MapFn<? super T, ? extends R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        return nest(stepId, "map").flatMapBatch("flat_map_batch", Batches.<T, R>map(fn)).at(scope);
    }

    /** Keeps the items the predicate accepts. */
    public Stream<T> filter(String stepId, FilterFn<? super T> fn) {
        Dataflow.requireNonNull(fn, "predicate", stepId);
        return nest(stepId, "filter").flatMapBatch("flat_map_batch", Batches.<T>filter(fn)).at(scope);
    }

    /** Maps each item, dropping those mapped to {@code null}. */
    public <R> Stream<R> filterMap(String stepId, FilterMapFn<? super T, ? extends R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        return nest(stepId, "filter_map").flatMapBatch("flat_map_batch", Batches.<T, R>filterMap(fn)).at(scope);
    }

    /** Zero or more items out per item in. */
    public <R> Stream<R> flatMap(String stepId, FlatMapFn<? super T, ? extends R> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        return nest(stepId, "flat_map").flatMapBatch("flat_map_batch", Batches.<T, R>flatMap(fn)).at(scope);
    }

    /** Emits the elements of every iterable item. */
    public static <X> Stream<X> flatten(String stepId, Stream<? extends Iterable<? extends X>> up) {
        return up.nest(stepId, "flatten").<X>flatMap("flat_map", it -> it).at(up.scope);
    }

    /**
     * Maps the value at {@code key} of every map item, keeping the other entries, as Bytewax's
     * {@code map_dict_value}; items are copied, never changed in place. An item without the key
     * fails the step, naming the key.
     *
     * <pre>{@code
     * Stream<Map<String, String>> upper = Stream.mapDictValue("upper", rows, "name", String::toUpperCase);
     * }</pre>
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <V> Stream<Map<String, V>> mapDictValue(String stepId, Stream<? extends Map<String, V>> up, String key,
                                                         MapFn<? super V, ? extends V> fn) {
        Dataflow.requireNonNull(fn, "mapper", stepId);
        Stream<Map<String, V>> in = (Stream) up.nest(stepId, "map_dict_value");
        return in.<Map<String, V>>map("map", m -> {
            if (!m.containsKey(key)) {
                throw new IllegalArgumentException("map_dict_value: the item has no key '" + key + "'; its keys are " + m.keySet());
            }
            Map<String, V> copy = new java.util.LinkedHashMap<>(m);
            copy.put(key, fn.apply(m.get(key)));
            return copy;
        }).at(up.scope);
    }

    /** Calls {@code fn} with each item and passes it on unchanged. */
    public Stream<T> inspect(String stepId, InspectFn<? super T> fn) {
        Dataflow.requireNonNull(fn, "inspector", stepId);
        Stream<T> in = nest(stepId, "inspect");
        String where = in.scope;
        return in.inspectDebug("inspect_debug", (s, x, epoch, worker) -> fn.inspect(where, x)).at(scope);
    }

    /** Keys each item by {@code fn}, making a keyed stream for stateful steps. */
    public KeyedStream<T> keyOn(String stepId, KeyFn<? super T> fn) {
        Dataflow.requireNonNull(fn, "key function", stepId);
        Stream<KV<T>> s = nest(stepId, "key_on").flatMapBatch("flat_map_batch", Batches.<T>keyOn(fn));
        return new KeyedStream<>(flow, s.id, scope);
    }

    /** Fails the flow on the first item that reaches it; for asserting that a stream stays empty. */
    public void raises(String stepId) {
        Stream<T> in = nest(stepId, "raises");
        String where = in.scope;
        in.flatMapBatch("flat_map_batch", batch -> {
            if (!batch.isEmpty()) {
                throw new IllegalStateException("step '" + where + "' got item " + batch.get(0)
                        + " but should never see any");
            }
            return List.of();
        });
    }

    /**
     * Maps each item with the help of values looked up by key and cached for {@code ttl}
     * ({@code null}: forever). The cache is shared by the workers of a process.
     */
    public <C, R> Stream<R> enrichCached(String stepId, CacheGetter<C> getter, EnrichFn<C, ? super T, ? extends R> mapper,
                                         Duration ttl) {
        return enrichCached(stepId, getter, mapper, ttl, java.time.Clock.systemUTC());
    }

    /**
     * Like {@link #enrichCached(String, CacheGetter, EnrichFn, Duration)}, with the clock that
     * decides when a value is older than the TTL: a test passes a clock it sets (Bytewax's
     * {@code _now_getter}). A value is fetched again once {@code now - fetched > ttl}.
     */
    public <C, R> Stream<R> enrichCached(String stepId, CacheGetter<C> getter, EnrichFn<C, ? super T, ? extends R> mapper,
                                         Duration ttl, java.time.Clock clock) {
        Dataflow.requireNonNull(mapper, "mapper", stepId);
        Dataflow.requireNonNull(getter, "cache getter", stepId);
        Dataflow.requireNonNull(clock, "clock", stepId);
        TtlCache<C> cache = new TtlCache<>(getter, ttl, clock);
        return nest(stepId, "enrich_cached")
                .flatMapBatch("flat_map_batch", new ItemWise<T, R>(mapper, (item, next) -> next.accept(mapper.apply(cache, item))))
                .at(scope);
    }

    /** Counts items per key, emitting every key's count at end of input. */
    public KeyedStream<Long> countFinal(String stepId, KeyFn<? super T> key) {
        Dataflow.requireNonNull(key, "key function", stepId);
        Stream<T> in = nest(stepId, "count_final");
        return in.keyOn("key_on", key).foldFinal("fold_final", () -> 0L, (Long n, T x) -> n + 1).atKeyed(scope);
    }

    // ---- composing operators ----

    /**
     * Opens the scope of a composite operator: returns this stream as seen from inside a new
     * scope {@code stepId}, so that the steps the operator adds get ids nested under it
     * ({@code flow.my_op.inner_step}), as built-in derived operators do. Hand the operator's
     * results back to the caller's scope with {@link #inScopeOf}.
     *
     * <pre>{@code
     * static Stream<String> shout(String stepId, Stream<String> up) {
     *     return up.nest(stepId, "shout").map("upper", String::toUpperCase).inScopeOf(up);
     * }
     * }</pre>
     *
     * @param operator the operator's name, shown by {@code describe}
     */
    public Stream<T> nest(String stepId, String operator) {
        return new Stream<>(flow, id, flow.nest(scope, stepId, operator));
    }

    /** This stream, with later steps added in {@code other}'s scope: how a composite returns its results. */
    public Stream<T> inScopeOf(Stream<?> other) {
        return at(other.scope);
    }

    // ---- plumbing shared with KeyedStream ----

    final Stream<T> at(String outer) {
        return new Stream<>(flow, id, outer);
    }

    final String mergeStep(String stepId, List<? extends Stream<?>> others) {
        Dataflow.requireNonNull(others, "list of streams to merge (List.of() for none)", stepId);
        String full = flow.claim(scope, stepId);
        List<String> ups = new ArrayList<>();
        ups.add(id);
        for (Stream<?> o : others) {
            sameScope(full, o);
            ups.add(o.id);
        }
        flow.add(new Step.Merge(full, ups, full + ".down"));
        return full + ".down";
    }

    /**
     * Refuses a stream of another flow, or of another scope (Bytewax's "inconsistent stream
     * scoping"): inside a nested operator, a stream from the outer scope must be brought in with
     * {@link #inScopeOf} first, so that the steps reading it are nested as the operator says.
     */
    final void sameScope(String step, Stream<?> other) {
        if (other == null) {
            throw new IllegalArgumentException("step '" + step + "' got null in its list of streams; give streams of this flow");
        }
        if (other.flow != flow) {
            throw new IllegalArgumentException("step '" + step + "' merges a stream of another flow ('"
                    + other.flow.id() + "'): streams can only be combined within one flow");
        }
        if (!other.scope.equals(scope)) {
            throw new IllegalArgumentException("inconsistent stream scoping: step '" + step + "' is in scope '" + scope
                    + "' but uses stream '" + other.id + "' of scope '" + other.scope + "'; inside a nested operator, "
                    + "bring outer streams in with stream.inScopeOf(up), or call the operator from the outer scope");
        }
    }

    final String inspectDebugStep(String stepId, InspectDebugFn<?> fn) {
        Dataflow.requireNonNull(fn, "inspector", stepId);
        String full = flow.claim(scope, stepId);
        flow.add(new Step.InspectDebug(full, id, fn, full + ".down"));
        return full + ".down";
    }
}
