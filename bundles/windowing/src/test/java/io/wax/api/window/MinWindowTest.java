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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinWindowTest {
    @Test
    void keepsTheSmallestValueOfEachWindowTheFirstOfEquals() {
        List<?> items = concat(evs("a", 0, 3, 1, 1, 2, 9, 3, 1, 5, 2), evs("b", 1, 4));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Win.Ev> out = Win.run(items, w, s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0)))
                    .min("min", Comparator.comparingInt(Win.Ev::value)));
            assertEquals(Map.of("a", List.of(res(0, new Win.Ev(1, 1)), res(1, new Win.Ev(5, 2))),
                    "b", List.of(res(0, new Win.Ev(1, 4)))), out.downByKey(), "workers=" + w);
        }
    }
}
