package io.wax.api.window;

import static io.wax.api.window.Win.CLOCK;
import static io.wax.api.window.Win.MINUTE;
import static io.wax.api.window.Win.concat;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static io.wax.api.window.Win.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.window.Clock;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.spi.engine.FlowFailedException;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoldWindowTest {
    @Test
    void foldsEachWindowFromAFreshAccumulator() {
        List<?> items = concat(evs("a", 0, 1, 1, 2, 5, 10, 6, 20), evs("b", 3, 7));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, String> out = Win.run(items, w, s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0)))
                    .fold("fold", () -> "", (acc, e) -> acc + e.value() + ";"));
            assertEquals(Map.of("a", List.of(res(0, "1;2;"), res(1, "10;20;")), "b", List.of(res(0, "7;"))),
                    out.downByKey(), "workers=" + w);
        }
    }

    @Test
    void mergesAccumulatorsOfMergingSessions() {
        Clock<Win.Ev, Long> patient = Clock.eventMillis(e -> e.minute() * MINUTE, Duration.ofMinutes(20).plusSeconds(30));
        List<?> items = evs("a", 0, 1, 10, 2, 5, 4);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Integer> out = Win.run(items, w, s -> Windowing.of(s, patient, Windower.session(mins(5))).ordered(false)
                    .fold("sum", () -> 0, (acc, e) -> acc + e.value(), Integer::sum));
            assertEquals(Map.of("a", List.of(res(0, 7))), out.downByKey(), "workers=" + w);
        }
    }

    @Test
    void aFoldWithoutMergerFailsClearlyWhenSessionsMerge() {
        Clock<Win.Ev, Long> patient = Clock.eventMillis(e -> e.minute() * MINUTE, Duration.ofMinutes(20).plusSeconds(30));
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Win.<Win.Ev, Integer>run(evs("a", 0, 1, 10, 2, 5, 4), 1,
                s -> Windowing.of(s, patient, Windower.session(mins(5))).ordered(false).fold("sum", () -> 0,
                        (Integer acc, Win.Ev x) -> acc + x.value())));
        assertTrue(e.getMessage().contains("sum"), e.getMessage());
        assertTrue(e.getMessage().contains("has no merger"), e.getMessage());
    }
}
