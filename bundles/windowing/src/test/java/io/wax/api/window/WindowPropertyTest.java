package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowOut;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every window operator (the generic window with a logic that emits on values and on close,
 * count, fold, reduce, max, min, the three collects, and join in each insert and emit mode)
 * against {@link Reference} on random event streams with out-of-order and late items, random
 * windowers, allowed lateness, ordered or not, for 1 to 3 workers and several batch sizes. Each key's results,
 * late items and metadata must match the model exactly and in order. {@code -Dwax.window.seeds=N}
 * runs more seeds.
 */
class WindowPropertyTest {
    private static final int SEEDS = Integer.getInteger("wax.window.seeds", 300);
    private static final int[] BATCHES = {1, 2, 5, 64};

    /** An operator under test and the model of a window's logic. */
    private record Op(String name, BiFunction<KeyedStream<Win.Ev>, Function<KeyedStream<Win.Ev>, Windowing<Win.Ev>>,
            WindowOut<Win.Ev, ?>> apply, Supplier<Reference.Model> model, boolean needsOrder) {
        /** An operator of one stream whose result the model folds from the window's items. */
        static Op folding(String name, Function<Windowing<Win.Ev>, WindowOut<Win.Ev, ?>> apply,
                          Function<List<Win.Ev>, Object> expect) {
            return new Op(name, (s, w) -> apply.apply(w.apply(s)), Reference.folding(expect), false);
        }
    }

    private static final Comparator<Win.Ev> BY_VALUE = Comparator.comparingInt(Win.Ev::value);

    private static final List<Op> OPS = List.of(
            Op.folding("count", w -> w.count("op"), items -> (long) items.size()),
            Op.folding("fold", w -> w.fold("op", () -> 0, (Integer acc, Win.Ev e) -> acc + e.value(), Integer::sum),
                    items -> items.stream().mapToInt(Win.Ev::value).sum()),
            Op.folding("reduce", w -> w.reduce("op", (a, b) -> new Win.Ev(Math.max(a.minute(), b.minute()),
                    a.value() + b.value())), items -> items.stream().reduce((a, b) -> new Win.Ev(
                    Math.max(a.minute(), b.minute()), a.value() + b.value())).orElseThrow()),
            Op.folding("max", w -> w.max("op", BY_VALUE), items -> firstOfEquals(items, BY_VALUE.reversed())),
            Op.folding("min", w -> w.min("op", BY_VALUE), items -> firstOfEquals(items, BY_VALUE)),
            Op.folding("collect_list", w -> w.collectList("op"), items -> List.copyOf(items)),
            Op.folding("collect_set", w -> w.collectSet("op"), items -> new LinkedHashSet<>(items)),
            Op.folding("collect_map", w -> w.collectMap("op", Win.Ev::value, Win.Ev::minute), items -> {
                Map<Integer, Long> m = new LinkedHashMap<>();
                items.forEach(e -> m.put(e.value(), e.minute()));
                return m;
            }),
            new Op("window", (s, w) -> w.apply(s).window("op", Running::new), RunningModel::new, false),
            join(JoinInsert.FIRST, JoinEmit.COMPLETE),
            join(JoinInsert.LAST, JoinEmit.COMPLETE),
            join(JoinInsert.PRODUCT, JoinEmit.COMPLETE),
            join(JoinInsert.FIRST, JoinEmit.FINAL),
            join(JoinInsert.LAST, JoinEmit.FINAL),
            join(JoinInsert.PRODUCT, JoinEmit.FINAL),
            join(JoinInsert.FIRST, JoinEmit.RUNNING),
            join(JoinInsert.LAST, JoinEmit.RUNNING),
            join(JoinInsert.PRODUCT, JoinEmit.RUNNING));

    /**
     * A window join of the odd values (left) with the even ones (right). The two sides come from
     * one source and meet again at the join, so the test reads that source one item at a time
     * from one partition: then each key sees its values in source order on any worker count.
     */
    private static Op join(JoinInsert insert, JoinEmit emit) {
        return new Op("join_" + insert + "_" + emit, (s, w) -> {
            KeyedStream<Win.Ev> left = s.filter("odd", kv -> kv.value().value() % 2 == 1);
            KeyedStream<Win.Ev> right = s.filter("even", kv -> kv.value().value() % 2 == 0);
            return w.apply(left).join("op", insert, emit, List.of(right));
        }, () -> new JoinModel(insert, emit), true);
    }

    /** A generic window logic: emits the running total on each value and the total when fired. */
    private static final class Running implements WindowLogic<Win.Ev, String, Integer> {
        private int total;

        Running(Integer resume) {
            total = resume == null ? 0 : resume;
        }

        @Override
        public void onValue(Win.Ev value, Consumer<? super String> out) {
            total += value.value();
            out.accept("running " + total);
        }

        @Override
        public void onMerge(Integer original, Consumer<? super String> out) {
            total += original;
        }

        @Override
        public void onClose(Consumer<? super String> out) {
            out.accept("closed " + total);
        }

        @Override
        public Integer snapshot() {
            return total;
        }
    }

    private static final class RunningModel implements Reference.Model {
        int total;

        @Override
        public void onValue(Win.Ev e, List<Object> out) {
            total += e.value();
            out.add("running " + total);
        }

        @Override
        public void onMerge(Reference.Model original, List<Object> out) {
            total += ((RunningModel) original).total;
        }

        @Override
        public void onClose(List<Object> out) {
            out.add("closed " + total);
        }
    }

    /** The join semantics restated: per side the values kept by the insert mode, in order. */
    private static final class JoinModel implements Reference.Model {
        final JoinInsert insert;
        final JoinEmit emit;
        final List<List<Win.Ev>> sides = List.of(new ArrayList<>(), new ArrayList<>());

        JoinModel(JoinInsert insert, JoinEmit emit) {
            this.insert = insert;
            this.emit = emit;
        }

        void keep(List<Win.Ev> side, List<Win.Ev> values) {
            for (Win.Ev v : values) {
                if (insert == JoinInsert.PRODUCT) {
                    side.add(v);
                } else if (insert == JoinInsert.LAST) {
                    side.clear();
                    side.add(v);
                } else if (side.isEmpty()) {
                    side.add(v);
                }
            }
        }

        void rows(List<Object> out) {
            List<Win.Ev> l = sides.get(0).isEmpty() ? java.util.Arrays.asList((Win.Ev) null) : sides.get(0);
            List<Win.Ev> r = sides.get(1).isEmpty() ? java.util.Arrays.asList((Win.Ev) null) : sides.get(1);
            for (Win.Ev a : l) {
                for (Win.Ev b : r) {
                    out.add(java.util.Arrays.asList(a, b));
                }
            }
        }

        void completed(List<Object> out) {
            if (emit == JoinEmit.COMPLETE && !sides.get(0).isEmpty() && !sides.get(1).isEmpty()) {
                rows(out);
                sides.forEach(List::clear);
            }
        }

        @Override
        public void onValue(Win.Ev e, List<Object> out) {
            keep(sides.get(e.value() % 2 == 1 ? 0 : 1), List.of(e));
            if (emit == JoinEmit.RUNNING) {
                rows(out);
            }
            completed(out);
        }

        @Override
        public void onMerge(Reference.Model original, List<Object> out) {
            JoinModel o = (JoinModel) original;
            for (int i = 0; i < 2; i++) {
                // FIRST keeps this session's first value, LAST takes the merged one's last.
                List<Win.Ev> values = o.sides.get(i);
                if (insert == JoinInsert.FIRST && !values.isEmpty()) {
                    keep(sides.get(i), List.of(values.get(0)));
                } else if (insert == JoinInsert.LAST && !values.isEmpty()) {
                    keep(sides.get(i), List.of(values.get(values.size() - 1)));
                } else {
                    keep(sides.get(i), values);
                }
            }
            completed(out);
        }

        @Override
        public void onClose(List<Object> out) {
            if (emit == JoinEmit.FINAL) {
                rows(out);
            }
        }
    }

    /** The first item that no later item beats by {@code order}. */
    private static Win.Ev firstOfEquals(List<Win.Ev> items, Comparator<Win.Ev> order) {
        Win.Ev best = items.get(0);
        for (Win.Ev e : items) {
            if (order.compare(e, best) < 0) {
                best = e;
            }
        }
        return best;
    }

    /** How many runs saw late items, re-fired windows and merged sessions: the test must reach them. */
    private int withLate;
    private int withUpdates;
    private int withMerges;
    private int withOrderedMerges;

    @Test
    void everyOperatorMatchesTheBruteForceModel() {
        for (int seed = 0; seed < SEEDS; seed++) {
            check(seed, false);
            check(seed, true);
        }
        int enough = SEEDS / 20;
        if (withLate < enough || withUpdates < enough || withMerges < enough) {
            throw new AssertionError("the random streams are too tame: " + withLate + " seeds with late items, "
                    + withUpdates + " with updates, " + withMerges + " with merges");
        }
        // Ordered, sessions merge only through items within the allowed lateness: rarer, but it must happen.
        if (withOrderedMerges == 0) {
            throw new AssertionError("no ordered run merged sessions");
        }
    }

    /** One random case, run unordered and then ordered (the same input: the generator restarts from the seed). */
    private void check(int seed, boolean ordered) {
        Random r = new Random(seed);
        Reference.Spec spec = randomSpec(r);
        long lateness = r.nextBoolean() ? 0 : 1 + r.nextInt(5);
        Op op = OPS.get(r.nextInt(OPS.size()));
        Map<String, List<Win.Ev>> byKey = new TreeMap<>();
        int keys = 1 + r.nextInt(4);
        for (int k = 0; k < keys; k++) {
            byKey.put("k" + k, randomEvents(r));
        }
        Map<String, List<?>> parts = op.needsOrder() ? Map.of("p", concatenated(r, byKey)) : partitions(r, byKey);
        Windower<?> windower = switch (spec.kind()) {
            case "tumbling" -> Windower.tumbling(Win.mins(spec.length()), Win.min(spec.align()));
            case "sliding" -> Windower.sliding(Win.mins(spec.length()), Win.mins(spec.offset()), Win.min(spec.align()));
            default -> Windower.session(Win.mins(spec.gap()));
        };
        Reference.Out want = new Reference(spec, lateness, op.model(), ordered).run(byKey);
        withLate += want.late().isEmpty() ? 0 : 1;
        withUpdates += want.down().values().stream().flatMap(List::stream).anyMatch(WindowResult::isUpdate) ? 1 : 0;
        int merges = want.meta().values().stream().flatMap(List::stream).anyMatch(m -> !m.mergedIds().isEmpty())
                ? 1 : 0;
        withMerges += merges;
        withOrderedMerges += ordered ? merges : 0;
        for (int workers = 1; workers <= 3; workers++) {
            int batch = op.needsOrder() ? 1 : BATCHES[r.nextInt(BATCHES.length)];
            String where = "seed " + seed + ": " + op.name() + " " + spec + " lateness " + lateness + "m, "
                    + (ordered ? "ordered" : "unordered") + ", workers " + workers + ", batch " + batch + ", input " + byKey;
            Win.Out<Win.Ev, Object> got = Win.run(parts, batch, workers, (KeyedStream<Win.Ev> s) -> {
                Function<KeyedStream<Win.Ev>, Windowing<Win.Ev>> windowing = in -> {
                    Windowing<Win.Ev> w = Windowing.of(in, Win.CLOCK, windower).ordered(ordered);
                    return lateness > 0 ? w.allowedLateness(Duration.ofMinutes(lateness)) : w;
                };
                @SuppressWarnings("unchecked")
                WindowOut<Win.Ev, Object> out = (WindowOut<Win.Ev, Object>) op.apply().apply(s, windowing);
                return out;
            });
            assertEquals(want.down(), got.downByKey(), "results, " + where);
            assertEquals(want.late(), got.lateByKey(), "late items, " + where);
            assertEquals(want.meta(), got.metaByKey(), "metadata, " + where);
        }
    }

    private static Reference.Spec randomSpec(Random r) {
        long align = r.nextInt(15) - 7;
        return switch (r.nextInt(3)) {
            case 0 -> {
                long len = 1 + r.nextInt(6);
                yield new Reference.Spec("tumbling", len, len, align, 0);
            }
            case 1 -> {
                long len = 2 + r.nextInt(7);
                yield new Reference.Spec("sliding", len, 1 + r.nextInt((int) len), align, 0);
            }
            default -> new Reference.Spec("session", 0, 0, 0, r.nextInt(5));
        };
    }

    /** Mostly ascending minutes with some jumps ahead, small steps back (out of order) and big ones (late). */
    private static List<Win.Ev> randomEvents(Random r) {
        int n = 1 + r.nextInt(40);
        long t = r.nextInt(20) - 10;
        List<Win.Ev> evs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int dice = r.nextInt(10);
            long at = dice < 6 ? (t += r.nextInt(4)) : dice < 7 ? (t += 4 + r.nextInt(6))
                    : dice < 9 ? t - r.nextInt(6) : t - 5 - r.nextInt(16);
            evs.add(new Win.Ev(at, r.nextInt(10)));
        }
        return evs;
    }

    /** All keys in one list, interleaved at random. */
    private static List<?> concatenated(Random r, Map<String, List<Win.Ev>> byKey) {
        List<Object> all = new ArrayList<>();
        partitions(r, byKey).values().forEach(all::addAll);
        return all;
    }

    /** Spreads the keys over 1 to 3 partitions, each key in one, interleaving keys at random. */
    private static Map<String, List<?>> partitions(Random r, Map<String, List<Win.Ev>> byKey) {
        int n = 1 + r.nextInt(3);
        List<List<String>> keysOf = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            keysOf.add(new ArrayList<>());
        }
        for (String k : byKey.keySet()) {
            keysOf.get(r.nextInt(n)).add(k);
        }
        Map<String, List<?>> parts = new TreeMap<>();
        for (int p = 0; p < n; p++) {
            Map<String, Integer> next = new TreeMap<>();
            keysOf.get(p).forEach(k -> next.put(k, 0));
            List<KV<Win.Ev>> items = new ArrayList<>();
            while (!next.isEmpty()) {
                List<String> open = new ArrayList<>(next.keySet());
                String k = open.get(r.nextInt(open.size()));
                int i = next.get(k);
                items.add(KV.of(k, byKey.get(k).get(i)));
                if (i + 1 == byKey.get(k).size()) {
                    next.remove(k);
                } else {
                    next.put(k, i + 1);
                }
            }
            parts.put("p" + p, items);
        }
        return parts;
    }

}
