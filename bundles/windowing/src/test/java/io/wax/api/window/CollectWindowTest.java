package io.wax.api.window;

import static io.wax.api.window.Win.CLOCK;
import static io.wax.api.window.Win.concat;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static io.wax.api.window.Win.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectWindowTest {
    private static final List<?> ITEMS = concat(evs("a", 0, 3, 1, 1, 2, 3, 5, 7), evs("b", 4, 2));
    private static final Windower<?> FIVE = Windower.tumbling(mins(5), min(0));

    private static Win.Ev ev(long minute, int value) {
        return new Win.Ev(minute, value);
    }

    @Test
    void collectsIntoAListInArrivalOrder() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, List<Win.Ev>> out = Win.run(ITEMS, w, s -> Windowing.of(s, CLOCK, FIVE).collectList("list"));
            assertEquals(Map.of("a", List.of(res(0, List.of(ev(0, 3), ev(1, 1), ev(2, 3))), res(1, List.of(ev(5, 7)))),
                    "b", List.of(res(0, List.of(ev(4, 2))))), out.downByKey(), "workers=" + w);
        }
    }

    @Test
    void collectsIntoASet() {
        List<?> items = evs("a", 0, 3, 1, 1, 0, 3, 1, 1, 5, 7);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Set<Win.Ev>> out = Win.run(items, w, s -> Windowing.of(s, CLOCK, FIVE).collectSet("set"));
            assertEquals(Map.of("a", List.of(res(0, Set.of(ev(0, 3), ev(1, 1))), res(1, Set.of(ev(5, 7))))),
                    out.downByKey(), "workers=" + w);
        }
    }

    @Test
    void collectsIntoAMapWhereLaterValuesWin() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Map<Integer, Long>> out = Win.run(ITEMS, w,
                    s -> Windowing.of(s, CLOCK, FIVE).collectMap("map", Win.Ev::value, Win.Ev::minute));
            assertEquals(Map.of("a", List.of(res(0, Map.of(3, 2L, 1, 1L)), res(1, Map.of(7, 5L))),
                    "b", List.of(res(0, Map.of(2, 4L)))), out.downByKey(), "workers=" + w);
        }
    }
}
