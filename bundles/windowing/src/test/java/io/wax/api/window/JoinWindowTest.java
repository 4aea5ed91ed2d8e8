package io.wax.api.window;

import static io.wax.api.window.Win.MINUTE;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.KeyedStream;
import io.wax.api.window.Clock;
import io.wax.api.window.WindowOut;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Window joins. The two sides are the odd and even values of one source read an item at a time,
 * so each key sees the values in source order whatever the worker count; the clock waits a day,
 * so nothing is late and windows close at end of input.
 */
class JoinWindowTest {
    private static final Clock<Win.Ev, Long> DAY = Clock.eventMillis(e -> e.minute() * MINUTE, Duration.ofDays(1));
    // Window [0, 10): left 1, right 2, left 3, right 4; window [10, 20): left 15.
    private static final List<?> ITEMS = evs("a", 1, 1, 2, 2, 3, 3, 4, 4, 15, 15);

    private static Map<String, List<WindowResult<List<Win.Ev>>>> join(JoinInsert insert, JoinEmit emit, Flows.Topology workers) {
        Win.Out<Win.Ev, List<Win.Ev>> out = Win.run(Map.of("p", ITEMS), 1, workers, (KeyedStream<Win.Ev> s) -> {
            KeyedStream<Win.Ev> left = s.filter("odd", kv -> kv.value().value() % 2 == 1);
            KeyedStream<Win.Ev> right = s.filter("even", kv -> kv.value().value() % 2 == 0);
            WindowOut<Win.Ev, List<Win.Ev>> o = Windowing.of(left, DAY, Windower.tumbling(mins(10), min(0)))
                    .join("join", insert, emit, List.of(right));
            return o;
        });
        return out.downByKey();
    }

    private static WindowResult<List<Win.Ev>> row(long window, Integer left, Integer right) {
        return new WindowResult<>(window, Arrays.asList(left == null ? null : new Win.Ev(left, left),
                right == null ? null : new Win.Ev(right, right)), 0);
    }

    @Test
    void productFinalEmitsEveryCombinationWhenTheWindowCloses() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            assertEquals(Map.of("a", List.of(row(0, 1, 2), row(0, 1, 4), row(0, 3, 2), row(0, 3, 4), row(1, 15, null))),
                    join(JoinInsert.PRODUCT, JoinEmit.FINAL, w), "workers=" + w);
        }
    }

    @Test
    void lastCompleteEmitsOnceBothSidesHaveAValueThenStartsAfresh() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            assertEquals(Map.of("a", List.of(row(0, 1, 2), row(0, 3, 4))), join(JoinInsert.LAST, JoinEmit.COMPLETE, w),
                    "workers=" + w);
        }
    }

    @Test
    void firstRunningEmitsAfterEveryValue() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            assertEquals(Map.of("a", List.of(row(0, 1, null), row(0, 1, 2), row(0, 1, 2), row(0, 1, 2),
                    row(1, 15, null))), join(JoinInsert.FIRST, JoinEmit.RUNNING, w), "workers=" + w);
        }
    }

    @Test
    void mergingSessionsJoinTheirSides() {
        // Unordered, gap 3: left 1 and right 8 start sessions 0 and 1; left 3 joins the first,
        // then right 6 bridges both into the first. The bridging value joins the target before the merged
        // session's values are appended.
        List<?> items = evs("a", 1, 1, 8, 8, 3, 3, 6, 6);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, List<Win.Ev>> out = Win.run(Map.of("p", items), 1, w, (KeyedStream<Win.Ev> s) -> {
                KeyedStream<Win.Ev> left = s.filter("odd", kv -> kv.value().value() % 2 == 1);
                KeyedStream<Win.Ev> right = s.filter("even", kv -> kv.value().value() % 2 == 0);
                return Windowing.of(left, DAY, Windower.session(mins(3))).ordered(false)
                        .join("join", JoinInsert.PRODUCT, JoinEmit.FINAL, List.of(right));
            });
            assertEquals(Map.of("a", List.of(row(0, 1, 6), row(0, 1, 8), row(0, 3, 6), row(0, 3, 8))),
                    out.downByKey(), "workers=" + w);
        }
    }

    /**
     * COMPLETE with allowed lateness: a row that late items complete is a new row, not a
     * replacement, and its update is how many times the window had fired. Window [0, 5) fires
     * when 6 arrives (nothing to emit), again when late 5 joins its left side, and late 4 then
     * completes a row: update 2.
     */
    @Test
    void completeRowsAfterTheWindowFiredCountItsFirings() {
        List<?> items = evs("a", 0, 1, 1, 2, 6, 3, 2, 5, 3, 4);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, List<Win.Ev>> out = Win.run(Map.of("p", items), 1, w, (KeyedStream<Win.Ev> s) -> {
                KeyedStream<Win.Ev> left = s.filter("odd", kv -> kv.value().value() % 2 == 1);
                KeyedStream<Win.Ev> right = s.filter("even", kv -> kv.value().value() % 2 == 0);
                return Windowing.of(left, Win.CLOCK, Windower.tumbling(mins(5), min(0))).allowedLateness(mins(4))
                        .join("join", JoinInsert.FIRST, JoinEmit.COMPLETE, List.of(right));
            });
            List<Win.Ev> late = Arrays.asList(new Win.Ev(2, 5), new Win.Ev(3, 4));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, Arrays.asList(new Win.Ev(0, 1), new Win.Ev(1, 2)), 0),
                    new WindowResult<>(0, late, 2))), out.downByKey(), "workers=" + w);
        }
    }
}
