package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.Clock;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowOut;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The Javadoc examples of the windowing package, verbatim, compiled and run. */
class WindowingExamplesTest {
    record Click(String user, Instant time) {
    }

    record Reading(String sensor, double value, Instant time) {
    }

    private static <V> KeyedStream<V> input(Dataflow flow, String id, List<KV<V>> items) {
        return KeyedStream.of(flow.input(id, new TestingSource<KV<V>>(items)));
    }

    private static <T> long total(List<KV<WindowResult<T>>> results, java.util.function.ToLongFunction<T> size) {
        return results.stream().mapToLong(r -> size.applyAsLong(r.value().value())).sum();
    }

    @Test
    void theExamplesCompileAndRun() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Dataflow flow = new Dataflow("examples");
        KeyedStream<Click> clicks = input(flow, "clicks", List.of(KV.of("ann", new Click("ann", t0)),
                KV.of("ann", new Click("ann", t0.plusSeconds(30))), KV.of("bob", new Click("bob", t0.plusSeconds(70)))));
        KeyedStream<Click> views = input(flow, "views", List.of(KV.of("ann", new Click("ann", t0.plusSeconds(5)))));
        KeyedStream<Integer> numbers = input(flow, "numbers", List.of(KV.of("n", 1), KV.of("n", 2), KV.of("n", 3)));
        KeyedStream<Integer> prices = numbers;
        KeyedStream<String> visits = input(flow, "visits", List.of(KV.of("ann", "/a"), KV.of("ann", "/b")));
        KeyedStream<String> logins = visits;
        KeyedStream<Reading> readings = input(flow, "readings", List.of(KV.of("r", new Reading("s1", 1.5, t0)),
                KV.of("r", new Reading("s1", 2.5, t0))));
        Clock<Object, Void> clock = Clock.system();
        Windower<?> windower = Windower.tumbling(Duration.ofDays(2), Instant.now().minus(Duration.ofDays(1)));
        Duration gap = Duration.ofMinutes(30);
        Clock<Reading, Long> readingClock = Clock.event(Reading::time, Duration.ofSeconds(5));
        Windower<?> hourly = Windower.tumbling(Duration.ofHours(1), Instant.parse("2024-01-01T00:00:00Z"));
        Windower<?> overlapping = Windower.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5), Instant.EPOCH);
        Windower<?> sessions = Windower.session(Duration.ofMinutes(30));

        WindowOut<Click, Long> perMinute = Windowing
                .of(clicks, Clock.event(Click::time, Duration.ofSeconds(10)),
                        Windower.tumbling(Duration.ofMinutes(1), Instant.EPOCH))
                .count("per_minute");
        WindowOut<Click, Long> lenient = Windowing.of(clicks, clock, windower).allowedLateness(Duration.ofMinutes(5))
                .count("per_minute_lenient");
        WindowOut<Integer, Integer> firsts = Windowing.of(numbers, clock, windower)
                .window("first", (Integer resume) -> new WindowLogic<Integer, Integer, Integer>() {
                    Integer first = resume;
                    public void onValue(Integer v, Consumer<? super Integer> out) { if (first == null) first = v; }
                    public void onClose(Consumer<? super Integer> out) { out.accept(first); }
                    public Integer snapshot() { return first; }
                });
        WindowOut<String, List<String>> pages = Windowing.of(visits, clock, Windower.session(gap)).collectList("pages");
        WindowOut<String, Set<String>> users = Windowing.of(logins, clock, windower).collectSet("users");
        WindowOut<Reading, Map<String, Double>> last = Windowing.of(readings, clock, windower)
                .collectMap("last", Reading::sensor, Reading::value);
        WindowOut<Integer, Integer> sums = Windowing.of(numbers, clock, windower)
                .fold("sum", () -> 0, (acc, x) -> acc + x, Integer::sum);
        WindowOut<Integer, Integer> sums2 = Windowing.of(numbers, clock, windower).reduce("sum2", Integer::sum);
        WindowOut<Integer, Integer> highs = Windowing.of(prices, clock, windower).max("high", Comparator.naturalOrder());
        WindowOut<Integer, Integer> lows = Windowing.of(prices, clock, windower).min("low", Comparator.naturalOrder());
        WindowOut<Click, List<Click>> pairs = Windowing.of(clicks, clock, windower)
                .join("pairs", JoinInsert.PRODUCT, JoinEmit.FINAL, List.of(views));
        WindowOut<Reading, Long> readingCounts = Windowing.of(readings, readingClock, hourly).count("hourly");
        WindowOut<Reading, Long> overlapCounts = Windowing.of(readings, readingClock, overlapping).count("overlapping");
        WindowOut<Reading, Long> sessionCounts = Windowing.of(readings, readingClock, sessions).count("sessions");

        TestingSink<KV<WindowResult<Long>>> perMinuteOut = new TestingSink<>();
        perMinute.down().output("per_minute_out", perMinuteOut);
        TestingSink<KV<WindowResult<Long>>> lenientOut = new TestingSink<>();
        lenient.down().output("lenient_out", lenientOut);
        TestingSink<KV<WindowResult<Integer>>> ints = new TestingSink<>();
        firsts.down().merge("ints", List.of(sums.down(), sums2.down(), highs.down(), lows.down())).output("ints_out", ints);
        TestingSink<KV<WindowResult<List<String>>>> pagesOut = new TestingSink<>();
        pages.down().output("pages_out", pagesOut);
        TestingSink<KV<WindowResult<Set<String>>>> usersOut = new TestingSink<>();
        users.down().output("users_out", usersOut);
        TestingSink<KV<WindowResult<Map<String, Double>>>> lastOut = new TestingSink<>();
        last.down().output("last_out", lastOut);
        TestingSink<KV<WindowResult<List<Click>>>> pairsOut = new TestingSink<>();
        pairs.down().output("pairs_out", pairsOut);
        TestingSink<KV<WindowResult<Long>>> readingsOut = new TestingSink<>();
        readingCounts.down().merge("reading_counts", List.of(overlapCounts.down(), sessionCounts.down()))
                .output("readings_out", readingsOut);

        Flows.run(flow, 2);

        assertEquals(3, total(perMinuteOut.items(), n -> n));
        assertEquals(2, perMinuteOut.items().size(), "ann's two clicks share a minute, bob's is in the next");
        assertEquals(3, total(lenientOut.items(), n -> n));
        assertEquals(Set.of(1, 6, 3), Set.copyOf(ints.items().stream().map(r -> r.value().value()).toList()));
        assertEquals(List.of("/a", "/b"), pagesOut.items().get(0).value().value());
        assertEquals(Set.of("/a", "/b"), usersOut.items().get(0).value().value());
        assertEquals(Map.of("s1", 2.5), lastOut.items().get(0).value().value());
        assertEquals(3, pairsOut.items().size(), "ann: two clicks x one view; bob: one click, no view");
        assertEquals(2 + 4 + 2, total(readingsOut.items(), n -> n));
    }
}
