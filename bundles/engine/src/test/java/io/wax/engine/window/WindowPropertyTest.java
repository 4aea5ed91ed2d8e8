package io.wax.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.KV;
import io.wax.api.KeyedStream;
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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every window operator against {@link Reference} on random event streams with out-of-order and
 * late items, random windowers and allowed lateness, for 1 to 3 workers and several batch sizes.
 * Each key's results, late items and metadata must match the model exactly and in order.
 */
class WindowPropertyTest {
    private static final int SEEDS = Integer.getInteger("wax.window.seeds", 150);
    private static final int[] BATCHES = {1, 2, 5, 64};

    /** An operator under test and what the model expects of a window's items. */
    private record Op(String name, Function<Windowing<Win.Ev>, WindowOut<Win.Ev, ?>> apply,
                      Function<List<Win.Ev>, Object> expect) {
    }

    private static final Comparator<Win.Ev> BY_VALUE = Comparator.comparingInt(Win.Ev::value);

    private static final List<Op> OPS = List.of(
            new Op("count", w -> w.count("op"), items -> (long) items.size()),
            new Op("fold", w -> w.fold("op", () -> 0, (Integer acc, Win.Ev e) -> acc + e.value(), Integer::sum),
                    items -> items.stream().mapToInt(Win.Ev::value).sum()),
            new Op("reduce", w -> w.reduce("op", (a, b) -> new Win.Ev(Math.max(a.minute(), b.minute()),
                    a.value() + b.value())), items -> items.stream().reduce((a, b) -> new Win.Ev(
                    Math.max(a.minute(), b.minute()), a.value() + b.value())).orElseThrow()),
            new Op("max", w -> w.max("op", BY_VALUE), items -> firstOfEquals(items, BY_VALUE.reversed())),
            new Op("min", w -> w.min("op", BY_VALUE), items -> firstOfEquals(items, BY_VALUE)),
            new Op("collect_list", w -> w.collectList("op"), items -> List.copyOf(items)),
            new Op("collect_set", w -> w.collectSet("op"), items -> new LinkedHashSet<>(items)),
            new Op("collect_map", w -> w.collectMap("op", Win.Ev::value, Win.Ev::minute), items -> {
                Map<Integer, Long> m = new LinkedHashMap<>();
                items.forEach(e -> m.put(e.value(), e.minute()));
                return m;
            }));

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

    @Test
    void everyOperatorMatchesTheBruteForceModel() {
        for (int seed = 0; seed < SEEDS; seed++) {
            check(seed);
        }
        int enough = SEEDS / 20;
        if (withLate < enough || withUpdates < enough || withMerges < enough) {
            throw new AssertionError("the random streams are too tame: " + withLate + " seeds with late items, "
                    + withUpdates + " with updates, " + withMerges + " with merges");
        }
    }

    private void check(int seed) {
        Random r = new Random(seed);
        Reference.Spec spec = randomSpec(r);
        long lateness = r.nextBoolean() ? 0 : 1 + r.nextInt(5);
        Op op = OPS.get(r.nextInt(OPS.size()));
        Map<String, List<Win.Ev>> byKey = new TreeMap<>();
        int keys = 1 + r.nextInt(4);
        for (int k = 0; k < keys; k++) {
            byKey.put("k" + k, randomEvents(r));
        }
        Map<String, List<?>> parts = partitions(r, byKey);
        Windower<?> windower = switch (spec.kind()) {
            case "tumbling" -> Windower.tumbling(Win.mins(spec.length()), Win.min(spec.align()));
            case "sliding" -> Windower.sliding(Win.mins(spec.length()), Win.mins(spec.offset()), Win.min(spec.align()));
            default -> Windower.session(Win.mins(spec.gap()));
        };
        Reference.Out want = new Reference(spec, lateness, op.expect()).run(byKey);
        withLate += want.late().isEmpty() ? 0 : 1;
        withUpdates += want.down().values().stream().flatMap(List::stream).anyMatch(WindowResult::isUpdate) ? 1 : 0;
        withMerges += want.meta().values().stream().flatMap(List::stream).anyMatch(m -> !m.mergedIds().isEmpty())
                ? 1 : 0;
        for (int workers = 1; workers <= 3; workers++) {
            int batch = BATCHES[r.nextInt(BATCHES.length)];
            String where = "seed " + seed + ": " + op.name() + " " + spec + " lateness " + lateness + "m, workers "
                    + workers + ", batch " + batch + ", input " + byKey;
            Win.Out<Win.Ev, Object> got = Win.run(parts, batch, workers, (KeyedStream<Win.Ev> s) -> {
                Windowing<Win.Ev> w = Windowing.of(s, Win.CLOCK, windower);
                if (lateness > 0) {
                    w = w.allowedLateness(Duration.ofMinutes(lateness));
                }
                @SuppressWarnings("unchecked")
                WindowOut<Win.Ev, Object> out = (WindowOut<Win.Ev, Object>) op.apply().apply(w);
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
