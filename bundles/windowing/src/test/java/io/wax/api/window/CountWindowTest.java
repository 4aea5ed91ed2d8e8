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
import org.junit.jupiter.api.Test;

class CountWindowTest {
    @Test
    void countsEachKeysTumblingWindowsInOrder() {
        List<?> items = concat(evs("a", 0, 1, 1, 1, 4, 1, 5, 1, 9, 1), evs("b", 2, 1, 3, 1, 12, 1));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0))).count("count"));
            assertEquals(Map.of("a", List.of(res(0, 3L), res(1, 2L)), "b", List.of(res(0, 2L), res(2, 1L))),
                    out.downByKey(), "workers=" + w);
            assertEquals(List.of(), out.late());
        }
    }
}
