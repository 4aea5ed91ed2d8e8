package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.KeyedStream;
import io.wax.api.Stream;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: by default the window operators apply values in timestamp order once the
 * watermark passes them, as Bytewax's do ({@code ordered=True}); count, reduce, max and min, and
 * any operator asked with {@code ordered(false)}, apply them as they come. The cases are Bytewax's
 * {@code test_collect_window.py} and {@code test_join_window.py}, restated; each runs at 1, 2 and 3
 * workers and in a cluster of two processes.
 */
class OrderedWindowsTest {
    private static final Instant ALIGN = Instant.parse("2022-01-01T00:00:00Z");
    /** Bytewax's {@code wait_for_system_duration=timedelta.max}: nothing is late, everything waits for end of input. */
    private static final Duration FOREVER = Duration.ofDays(365L * 1000);

    /** Bytewax's test {@code _Event}: a timestamp and a value. */
    record Event(Instant timestamp, int value) {
    }

    private static Event at(long seconds, int value) {
        return new Event(ALIGN.plusSeconds(seconds), value);
    }

    private static final Clock<Event, Long> CLOCK = Clock.event(Event::timestamp, FOREVER);

    private static KeyedStream<Event> keyedInput(Dataflow flow, String stepId, List<Event> items) {
        flow.codecs().register(Event.class);
        return flow.<Event>input(stepId, new TestingSource<>(items)).keyOn("key_" + stepId, e -> "ALL");
    }

    /** Runs {@code build} in every topology and returns the values of each output, which must be the same every time. */
    private static <T> List<T> everywhere(Function<Dataflow, Stream<T>> build) {
        List<T> first = null;
        for (Flows.Topology t : Flows.TOPOLOGIES) {
            List<T> got = Flows.outputs(t, build);
            if (first == null) {
                first = got;
            }
            assertEquals(first, got, "with " + t);
        }
        return first;
    }

    // Bytewax's test_collect_window: 1 at 0 s, 3 at 8 s, 2 at 4 s; the first 10 s window closes
    // while 5 (13 s) and 4 (12 s) are handled.
    private static final List<Event> COLLECT = List.of(at(0, 1), at(8, 3), at(4, 2), at(13, 5), at(12, 4));

    private static Stream<String> collected(Dataflow flow, Function<Windowing<Event>, Windowing<Event>> how) {
        Windowing<Event> w = how.apply(Windowing.of(keyedInput(flow, "inp", COLLECT), CLOCK,
                Windower.tumbling(Duration.ofSeconds(10), ALIGN)));
        return w.collectList("collect_window").down().keyRm("unkey")
                .map("clean", r -> r.windowId() + ":" + r.value().stream().map(Event::value).toList());
    }

    @Test
    void collectWindowGivesEachWindowsValuesInTimestampOrder() {
        assertEquals(List.of("0:[1, 2, 3]", "1:[4, 5]"), everywhere(flow -> collected(flow, w -> w)));
    }

    @Test
    void collectWindowAskedUnorderedGivesThemInArrivalOrder() {
        assertEquals(List.of("0:[1, 3, 2]", "1:[5, 4]"), everywhere(flow -> collected(flow, w -> w.ordered(false))));
    }

    @Test
    void foldWindowFoldsInTimestampOrder() {
        List<String> got = everywhere(flow -> Windowing.of(keyedInput(flow, "inp", COLLECT), CLOCK,
                        Windower.tumbling(Duration.ofSeconds(10), ALIGN))
                .fold("fold_window", () -> "", (String acc, Event e) -> acc + e.value())
                .down().keyRm("unkey").map("clean", r -> r.windowId() + ":" + r.value()));
        assertEquals(List.of("0:123", "1:45"), got);
    }

    /** Counting does not depend on order, so count stays unordered (Bytewax's count_window passes ordered=False). */
    @Test
    void countWindowCountsTheSameEitherWay() {
        for (boolean ordered : new boolean[] {true, false}) {
            List<String> got = everywhere(flow -> Windowing.of(keyedInput(flow, "inp", COLLECT), CLOCK,
                            Windower.tumbling(Duration.ofSeconds(10), ALIGN)).ordered(ordered)
                    .count("count_window").down().keyRm("unkey").map("clean", r -> r.windowId() + ":" + r.value()));
            assertEquals(List.of("0:3", "1:2"), got, "ordered " + ordered);
        }
    }

    /**
     * A join of a left and a right input over 10 s sessions, keyed "ALL", cleaned to (left, right)
     * value pairs as Bytewax's {@code _build_join_window_dataflow} does.
     */
    private static List<List<Integer>> join(List<Event> lefts, List<Event> rights, JoinInsert insert, JoinEmit emit) {
        return everywhere(flow -> {
            KeyedStream<Event> l = keyedInput(flow, "inp_l", lefts);
            KeyedStream<Event> r = keyedInput(flow, "inp_r", rights);
            Windowing<Event> w = Windowing.of(l, CLOCK, Windower.session(Duration.ofSeconds(10)));
            WindowOut<Event, List<Event>> joined = insert == null ? w.join("join", List.of(r))
                    : w.join("join", insert, emit, List.of(r));
            return joined.down().keyRm("unkey").map("clean", row -> Arrays.asList(
                    row.value().get(0) == null ? null : row.value().get(0).value(),
                    row.value().get(1) == null ? null : row.value().get(1).value()));
        });
    }

    private static List<Integer> pair(Integer left, Integer right) {
        return Arrays.asList(left, right);
    }

    /** Bytewax's test_join_window_first_complete: right 3 (2 s) arrives before right 2 (1 s), yet 2 is first. */
    @Test
    void joinFirstCompleteKeepsTheEarliestValueNotTheFirstToArrive() {
        assertEquals(List.of(pair(1, 2)), join(List.of(at(0, 1)), List.of(at(2, 3), at(1, 2)),
                JoinInsert.FIRST, JoinEmit.COMPLETE));
    }

    @Test
    void joinLastComplete() {
        assertEquals(List.of(pair(1, 2)), join(List.of(at(0, 1)), List.of(at(1, 2)), JoinInsert.LAST, JoinEmit.COMPLETE));
    }

    @Test
    void joinLastFinal() {
        assertEquals(List.of(pair(1, 3)), join(List.of(at(0, 1)), List.of(at(1, 2), at(2, 3)),
                JoinInsert.LAST, JoinEmit.FINAL));
    }

    @Test
    void joinLastRunningEmitsInTimestampOrder() {
        assertEquals(List.of(pair(1, null), pair(1, 2), pair(1, 3)), join(List.of(at(0, 1)),
                List.of(at(1, 2), at(2, 3)), JoinInsert.LAST, JoinEmit.RUNNING));
    }

    @Test
    void joinProductFinal() {
        assertEquals(List.of(pair(1, 3), pair(1, 4), pair(2, 3), pair(2, 4)), join(List.of(at(0, 1), at(1, 2)),
                List.of(at(1, 3), at(2, 4)), JoinInsert.PRODUCT, JoinEmit.FINAL));
    }

    /**
     * Ordered, sessions open in timestamp order, so their ids follow it: 30 s arrives first but
     * 0 s opens session 0.
     */
    @Test
    void orderedSessionsAreNumberedInTimestampOrder() {
        List<String> got = everywhere(flow -> Windowing.of(keyedInput(flow, "inp",
                        List.of(at(30, 3), at(0, 1), at(60, 6))), CLOCK, Windower.session(Duration.ofSeconds(10)))
                .collectList("collect").down().keyRm("unkey")
                .map("clean", r -> r.windowId() + ":" + r.value().stream().map(Event::value).toList()));
        assertEquals(List.of("0:[1]", "1:[3]", "2:[6]"), got);
    }

    /**
     * With a 1 minute wait: 60 s waits, 30 s goes before it, 240 s moves the watermark to 180 s,
     * which applies 30 s and 60 s and closes window [0, 120 s); 200 s then waits before 240 s.
     */
    @Test
    void waitingValuesAreAppliedInTimestampOrderAsTheWatermarkPassesThem() {
        Clock<Event, Long> minute = Clock.event(Event::timestamp, Duration.ofMinutes(1));
        List<Event> items = List.of(at(60, 2), at(30, 1), at(240, 4), at(200, 3));
        List<String> got = everywhere(flow -> Windowing.of(keyedInput(flow, "inp", items), minute,
                        Windower.tumbling(Duration.ofMinutes(2), ALIGN))
                .collectList("collect").down().keyRm("unkey")
                .map("clean", r -> r.windowId() + ":" + r.value().stream().map(Event::value).toList()));
        assertEquals(List.of("0:[1, 2]", "1:[3]", "2:[4]"), got);
    }
}
