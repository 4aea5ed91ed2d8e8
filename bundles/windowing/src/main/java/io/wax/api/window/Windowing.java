package io.wax.api.window;

import io.wax.api.Branch;
import io.wax.api.FoldFn;
import io.wax.api.InitFn;
import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.KV;
import io.wax.api.KeyFn;
import io.wax.api.KeyedStream;
import io.wax.api.ReduceFn;
import io.wax.api.Stream;
import io.wax.api.window.internal.CollectWindowLogic;
import io.wax.api.window.internal.CountWindowLogic;
import io.wax.api.window.internal.FoldWindowLogic;
import io.wax.api.window.internal.JoinWindowLogic;
import io.wax.api.window.internal.MetaSwitch;
import io.wax.api.window.internal.Millis;
import io.wax.api.window.internal.Tagged;
import io.wax.api.window.internal.TaggedClock;
import io.wax.api.window.internal.WindowCodecs;
import io.wax.api.window.internal.WindowStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Window operators over a keyed stream: pick a clock and a windower, optionally an allowed
 * lateness and whether values are applied in timestamp order, then an operator. Each operator is one {@code stateful_batch} step whose output is
 * split into the three streams of a {@link WindowOut} by two {@code branch} steps; like every
 * derived operator they are nested under the operator's step id ({@code flow.per_minute.stateful_batch},
 * whose id also keys the window state's snapshots, {@code .down} and {@code .late}).
 *
 * <pre>{@code
 * KeyedStream<Click> clicks = ...; // keyed by user
 * WindowOut<Click, Long> perMinute = Windowing
 *     .of(clicks, Clock.event(Click::time, Duration.ofSeconds(10)),
 *         Windower.tumbling(Duration.ofMinutes(1), Instant.EPOCH))
 *     .count("per_minute");
 * perMinute.down().output("out", sink);   // KV(user, WindowResult(windowId, count, update))
 * }</pre>
 *
 * @param <V> the values of the keyed stream
 */
public final class Windowing<V> {
    private final KeyedStream<V> up;
    private final Clock<? super V, ?> clock;
    private final Windower<?> windower;
    private final long lateness;
    /** Whether values are applied in timestamp order; null for each operator's default (Bytewax's). */
    private final Boolean ordered;

    private Windowing(KeyedStream<V> up, Clock<? super V, ?> clock, Windower<?> windower, long lateness,
                      Boolean ordered) {
        this.up = up;
        this.clock = clock;
        this.windower = windower;
        this.lateness = lateness;
        this.ordered = ordered;
    }

    /** Windows over {@code up}, timed by {@code clock}, cut by {@code windower}. */
    public static <V> Windowing<V> of(KeyedStream<V> up, Clock<? super V, ?> clock, Windower<?> windower) {
        need(up, "windowing needs an upstream");
        need(clock, "windowing needs a clock");
        need(windower, "windowing needs a windower");
        return new Windowing<>(up, clock, windower, 0, null);
    }

    /**
     * Accepts items up to {@code lateness} behind the watermark (Flink's allowed lateness; off by
     * default). Such an item joins its windows; a window that already fired fires again and its
     * new results carry {@code update > 0}: see {@link WindowResult}. Windows are kept that much
     * longer.
     *
     * <pre>{@code
     * Windowing.of(clicks, clock, windower).allowedLateness(Duration.ofMinutes(5)).count("per_minute");
     * }</pre>
     */
    public Windowing<V> allowedLateness(Duration lateness) {
        return new Windowing<>(up, clock, windower, Millis.nonNegative(lateness, "allowed lateness"), ordered);
    }

    /**
     * Whether values are applied to the windows in timestamp order (Bytewax's {@code ordered}).
     * Ordered, a value that is not late waits until the watermark reaches its timestamp; the
     * waiting values are then applied in timestamp order, equal timestamps in arrival order, before
     * any window the watermark closes fires. So {@code collectList} over items timed 1, 3, 2 gives
     * {@code [1, 2, 3]}, where unordered it gives them in arrival order, {@code [1, 3, 2]}. The
     * cost: waiting values are kept (and snapshotted), results that a logic emits per value come
     * when the watermark passes, not when the value arrives, and session ids follow timestamp
     * order. Items within the allowed lateness come behind the watermark, so they are applied when
     * they come.
     *
     * <p>Without this call each operator uses Bytewax's default: ordered for {@code window},
     * {@code collect*}, {@code fold} and {@code join}; unordered for {@code count}, whose result
     * cannot depend on order, and for {@code reduce}, {@code max} and {@code min}, as in Bytewax.
     *
     * <pre>{@code
     * Windowing.of(clicks, clock, windower).ordered(false).collectList("arrivals");
     * }</pre>
     */
    public Windowing<V> ordered(boolean ordered) {
        return new Windowing<>(up, clock, windower, lateness, ordered);
    }

    /**
     * The generic window operator: {@code builder} makes the logic of each window of each key
     * (Bytewax's {@code window}).
     *
     * <pre>{@code
     * WindowOut<Integer, Integer> firsts = Windowing.of(numbers, clock, windower)
     *     .window("first", (Integer resume) -> new WindowLogic<Integer, Integer, Integer>() {
     *         Integer first = resume;
     *         public void onValue(Integer v, Consumer<? super Integer> out) { if (first == null) first = v; }
     *         public void onClose(Consumer<? super Integer> out) { out.accept(first); }
     *         public Integer snapshot() { return first; }
     *     });
     * }</pre>
     */
    public <W, S> WindowOut<V, W> window(String stepId, WindowLogic.Builder<V, W, S> builder) {
        need(builder, "window operator '" + stepId + "' needs a window logic builder");
        return build(up.nest(stepId, "window"), up, clock, builder, builder, true);
    }

    /**
     * Collects each window's values into a list, in timestamp order unless {@link #ordered
     * ordered(false)} (Bytewax's {@code collect_window}).
     *
     * <pre>{@code
     * WindowOut<String, List<String>> pages = Windowing.of(visits, clock, Windower.session(gap)).collectList("pages");
     * }</pre>
     */
    public WindowOut<V, List<V>> collectList(String stepId) {
        return build(up.nest(stepId, "collect_window"), up, clock, CollectWindowLogic.<V>list(), null, true);
    }

    /**
     * Collects each window's distinct values into a set, in timestamp order unless {@link #ordered
     * ordered(false)}.
     *
     * <pre>{@code
     * WindowOut<String, Set<String>> users = Windowing.of(logins, clock, windower).collectSet("users");
     * }</pre>
     */
    public WindowOut<V, Set<V>> collectSet(String stepId) {
        return build(up.nest(stepId, "collect_window"), up, clock, CollectWindowLogic.<V>set(), null, true);
    }

    /**
     * Collects each window's values into a map; a later value (by timestamp unless {@link #ordered
     * ordered(false)}) replaces an earlier one with the same key.
     *
     * <pre>{@code
     * WindowOut<Reading, Map<String, Double>> last = Windowing.of(readings, clock, windower)
     *     .collectMap("last", Reading::sensor, Reading::value);
     * }</pre>
     */
    public <K, X> WindowOut<V, Map<K, X>> collectMap(String stepId, Function<? super V, ? extends K> key,
                                                    Function<? super V, ? extends X> value) {
        need(key, "collectMap '" + stepId + "' needs a key function");
        need(value, "collectMap '" + stepId + "' needs a value function");
        return build(up.nest(stepId, "collect_window"), up, clock, CollectWindowLogic.<V, K, X>map(key, value), key,
                true);
    }

    /**
     * Folds each window's values into an accumulator from {@code init}; {@code merger} combines
     * the accumulators of merging sessions. Accumulators are snapshotted as they are, so use
     * immutable values (Bytewax's {@code fold_window}).
     *
     * <pre>{@code
     * WindowOut<Integer, Integer> sums = Windowing.of(numbers, clock, windower)
     *     .fold("sum", () -> 0, (acc, x) -> acc + x, Integer::sum);
     * }</pre>
     */
    public <A> WindowOut<V, A> fold(String stepId, InitFn<A> init, FoldFn<A, ? super V> folder, ReduceFn<A> merger) {
        need(init, "fold '" + stepId + "' needs an initial value builder");
        need(folder, "fold '" + stepId + "' needs a folder");
        return build(up.nest(stepId, "fold_window"), up, clock, FoldWindowLogic.<V, A>builder(init, folder, merger), folder,
                true);
    }

    /** Like {@link #fold(String, InitFn, FoldFn, ReduceFn)} for windowers that never merge. */
    public <A> WindowOut<V, A> fold(String stepId, InitFn<A> init, FoldFn<A, ? super V> folder) {
        return fold(stepId, init, folder, null);
    }

    /**
     * Combines each window's values pairwise (Bytewax's {@code reduce_window}).
     *
     * <pre>{@code
     * WindowOut<Integer, Integer> sums = Windowing.of(numbers, clock, windower).reduce("sum", Integer::sum);
     * }</pre>
     */
    public WindowOut<V, V> reduce(String stepId, ReduceFn<V> reducer) {
        need(reducer, "reduce '" + stepId + "' needs a reducer");
        ReduceFn<V> r = (a, b) -> a == null ? b : b == null ? a : reducer.reduce(a, b);
        return build(up.nest(stepId, "reduce_window"), up, clock, FoldWindowLogic.<V, V>builder(() -> null, r::reduce, r), reducer,
                false);
    }

    /**
     * Counts each window's values (Bytewax's {@code count_window}).
     *
     * <pre>{@code
     * WindowOut<Click, Long> perMinute = Windowing.of(clicks, clock, windower).count("per_minute");
     * }</pre>
     */
    public WindowOut<V, Long> count(String stepId) {
        return build(up.nest(stepId, "count_window"), up, clock, CountWindowLogic.<V>builder(), null, false);
    }

    /**
     * Counts the items of {@code up} per key and window, keying each item with {@code key}
     * (Bytewax's {@code count_window(step_id, up, clock, windower, key)}). The results are keyed by
     * that key; like {@link #count}, values are counted as they come (order cannot change a
     * count).
     *
     * <pre>{@code
     * WindowOut<Fruit, Long> perFruit = Windowing.countWindow("count", fruits, Fruit::name,
     *     Clock.event(Fruit::time, Duration.ZERO), Windower.tumbling(Duration.ofMinutes(15), Instant.EPOCH));
     * }</pre>
     */
    public static <X> WindowOut<X, Long> countWindow(String stepId, Stream<X> up, KeyFn<? super X> key,
                                                     Clock<? super X, ?> clock, Windower<?> windower) {
        need(up, "count_window '" + stepId + "' needs an upstream");
        need(key, "count_window '" + stepId + "' needs a key function");
        need(clock, "count_window '" + stepId + "' needs a clock");
        need(windower, "count_window '" + stepId + "' needs a windower");
        KeyedStream<X> keyed = up.nest(stepId, "count_window").keyOn("key_on", key);
        return new Windowing<>(keyed, clock, windower, 0, null).build(keyed, up, clock, CountWindowLogic.<X>builder(),
                key, false);
    }

    /**
     * The largest value of each window by {@code order}; the first of equals wins.
     *
     * <pre>{@code
     * WindowOut<Integer, Integer> highs = Windowing.of(prices, clock, windower).max("high", Comparator.naturalOrder());
     * }</pre>
     */
    public WindowOut<V, V> max(String stepId, Comparator<? super V> order) {
        need(order, "max '" + stepId + "' needs a comparator");
        return reduce(stepId, (a, b) -> order.compare(b, a) > 0 ? b : a);
    }

    /**
     * The smallest value of each window by {@code order}; the first of equals wins.
     *
     * <pre>{@code
     * WindowOut<Integer, Integer> lows = Windowing.of(prices, clock, windower).min("low", Comparator.naturalOrder());
     * }</pre>
     */
    public WindowOut<V, V> min(String stepId, Comparator<? super V> order) {
        need(order, "min '" + stepId + "' needs a comparator");
        return reduce(stepId, (a, b) -> order.compare(b, a) < 0 ? b : a);
    }

    /**
     * Joins this stream with {@code others} by key within each window with Bytewax's default modes
     * for {@code join_window}: LAST (each side keeps its latest value, in timestamp order) and FINAL
     * (one row per window when it closes).
     *
     * <pre>{@code
     * WindowOut<Click, List<Click>> pairs = Windowing.of(clicks, clock, windower).join("pairs", List.of(views));
     * }</pre>
     */
    public WindowOut<V, List<V>> join(String stepId, List<? extends KeyedStream<? extends V>> others) {
        return join(stepId, JoinInsert.LAST, JoinEmit.FINAL, others);
    }

    /**
     * Joins this stream with {@code others} by key within each window, with the insert and emit
     * modes of {@link KeyedStream#join(String, JoinInsert, JoinEmit, List)}: rows hold one value
     * per side, this stream first, {@code null} for a side without a value (Bytewax's {@code
     * join_window}). Values are applied in timestamp order unless {@link #ordered ordered(false)},
     * so FIRST and LAST keep the earliest and latest value by time. FINAL emits when the window
     * fires. COMPLETE and RUNNING emit rows as values are applied (ordered: once the watermark
     * passes them), and each row stands on its own: with allowed lateness, a row's {@code update} says how
     * many times its window had fired when the row was emitted (so it can skip numbers), and such
     * a row adds to the earlier rows rather than replacing them. Every side is timed by this
     * clock.
     *
     * <pre>{@code
     * WindowOut<Click, List<Click>> pairs = Windowing.of(clicks, clock, windower)
     *     .join("pairs", JoinInsert.PRODUCT, JoinEmit.FINAL, List.of(views));
     * }</pre>
     */
    @SuppressWarnings("unchecked")
    public WindowOut<V, List<V>> join(String stepId, JoinInsert insert, JoinEmit emit,
                                      List<? extends KeyedStream<? extends V>> others) {
        need(insert, "join '" + stepId + "' needs an insert mode");
        need(emit, "join '" + stepId + "' needs an emit mode");
        need(others, "join '" + stepId + "' needs the list of streams to join with (List.of() for none)");
        for (int i = 0; i < others.size(); i++) { // List.of(...).contains(null) would throw
            need(others.get(i), "join '" + stepId + "' needs a stream at index " + i + " of its list of streams to join with");
        }
        List<KeyedStream<? extends V>> sides = new ArrayList<>();
        sides.add(up);
        sides.addAll(others);
        KeyedStream<V> inner = up.nest(stepId, "join_window");
        List<Stream<KV<Tagged>>> tagged = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            int side = i;
            tagged.add(((KeyedStream<Object>) sides.get(i)).inScopeOf(inner).map("tag_" + i,
                    kv -> new KV<>(kv.key(), new Tagged(side, kv.value()))));
        }
        KeyedStream<Tagged> merged = KeyedStream.of(tagged.get(0).merge("merge", tagged.subList(1, tagged.size())));
        WindowOut<Tagged, List<V>> out = build(merged, merged, new TaggedClock<>((Clock<V, Object>) clock),
                JoinWindowLogic.<V>builder(sides.size(), insert, emit), emit, true);
        KeyedStream<LateItem<V>> late = out.late().mapValue("untag",
                l -> new LateItem<>(l.windowId(), (V) l.value().value()));
        return new WindowOut<>(out.down().inScopeOf(up), late.inScopeOf(up), out.meta.inScopeOf(up), out.metaWanted);
    }

    /**
     * The window step and its split, added inside {@code in}'s scope (the operator's own); the
     * three streams are handed back in {@code outer}'s scope.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private <X, W, S> WindowOut<X, W> build(KeyedStream<X> in, Stream<?> outer, Clock<? super X, ?> clk,
                                            WindowLogic.Builder<X, W, S> logic, Object userFn,
                                            boolean orderedByDefault) {
        WindowCodecs.register(in.flow().codecs());
        MetaSwitch metaSwitch = new MetaSwitch();
        boolean inOrder = ordered == null ? orderedByDefault : ordered;
        WindowStep<X, W, S> step = new WindowStep<>((Clock) clk, (Windower) windower, logic, lateness, metaSwitch,
                userFn == null ? logic : userFn, inOrder);
        KeyedStream<Object> events = in.statefulBatch("stateful_batch", step);
        Branch<KV<Object>> results = events.branch("down", kv -> kv.value() instanceof WindowResult);
        Branch<KV<Object>> others = results.falses().branch("late", kv -> kv.value() instanceof LateItem);
        KeyedStream<WindowResult<W>> down = (KeyedStream) KeyedStream.of(results.trues()).inScopeOf(outer);
        KeyedStream<LateItem<X>> late = (KeyedStream) KeyedStream.of(others.trues()).inScopeOf(outer);
        KeyedStream<WindowMeta> meta = (KeyedStream) KeyedStream.of(others.falses()).inScopeOf(outer);
        return new WindowOut<>(down, late, meta, metaSwitch::on);
    }

    /**
     * A missing argument of a window builder: an {@link IllegalArgumentException}, as the api's
     * own builders throw, so that {@code bin/wax} shows the message alone, without a class name.
     */
    static void need(Object o, String what) {
        if (o == null) {
            throw new IllegalArgumentException(what + ", got null");
        }
    }
}
