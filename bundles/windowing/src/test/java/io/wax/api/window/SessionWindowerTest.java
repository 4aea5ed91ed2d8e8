package io.wax.api.window;

import static io.wax.api.window.Win.MINUTE;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.window.Clock;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionWindowerTest {
    /** Waits 20.5 minutes, so items up to 20 minutes out of order are not late. */
    private static final Clock<Win.Ev, Long> PATIENT = Clock.eventMillis(e -> e.minute() * MINUTE,
            Duration.ofMinutes(20).plusSeconds(30));

    @Test
    void anItemBetweenTwoSessionsMergesThemIntoTheEarlierOne() {
        // Gap 5: {0, 3} and {10} are two sessions until 7 arrives and bridges them; {30} is apart.
        List<?> items = evs("a", 0, 1, 3, 1, 10, 1, 7, 1, 30, 1);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            for (int batch : new int[] {1, 2, 5}) {
                Win.Out<Win.Ev, Long> out = Win.run(Map.of("p", items), batch, w,
                        s -> Windowing.of(s, PATIENT, Windower.session(mins(5))).count("count"));
                assertEquals(Map.of("a", List.of(new WindowResult<>(0, 4L, 0), new WindowResult<>(2, 1L, 0))),
                        out.downByKey(), "workers=" + w + " batch=" + batch);
                assertEquals(Map.of("a", List.of(
                        new WindowMeta(0, min(0), min(0), List.of()),
                        new WindowMeta(1, min(10), min(10), List.of()),
                        new WindowMeta(0, min(0), min(10), List.of(1L)),
                        new WindowMeta(2, min(30), min(30), List.of()))), out.metaByKey());
            }
        }
    }

    @Test
    void aSessionClosesOnceTheWatermarkPassesItsLastItemPlusTheGap() {
        // With Win.CLOCK (30 s wait) the session {0, 2} closes when an item at minute 8 or later
        // arrives (gap 5): then 4 and 1 are late.
        List<?> items = evs("a", 0, 1, 2, 1, 8, 1, 4, 1, 1, 0);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w,
                    s -> Windowing.of(s, Win.CLOCK, Windower.session(mins(5))).count("count"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, 2L, 0), new WindowResult<>(1, 1L, 0))),
                    out.downByKey(), "workers=" + w);
            assertEquals(2, out.late().size());
        }
    }

    @Test
    void rejectsANegativeGapOrOneThatIsNotWholeMilliseconds() {
        assertThrows(IllegalArgumentException.class, () -> Windower.session(Duration.ofMinutes(-1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windower.session(Duration.ofMillis(1).plusNanos(1)));
        assertEquals("session window gap PT0.001000001S is not a whole number of milliseconds, which is what window"
                + " times are counted in; use Duration.ofMillis(1) or Duration.ofMillis(2)", e.getMessage());
    }
}
