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

class ReduceWindowTest {
    @Test
    void reducesEachWindowPairwise() {
        List<?> items = concat(evs("a", 0, 1, 1, 2, 2, 4, 6, 8), evs("b", 9, 5));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Win.Ev> out = Win.run(items, w, s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0)))
                    .reduce("sum", (a, b) -> new Win.Ev(b.minute(), a.value() + b.value())));
            assertEquals(Map.of("a", List.of(res(0, new Win.Ev(2, 7)), res(1, new Win.Ev(6, 8))),
                    "b", List.of(res(1, new Win.Ev(9, 5)))), out.downByKey(), "workers=" + w);
        }
    }
}
