package io.wax.api.window;

import static io.wax.api.window.Win.CLOCK;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static io.wax.api.window.Win.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlidingWindowerTest {
    @Test
    void anItemGoesOnlyToTheWindowsThatContainIt() {
        // Length 10, offset 5, aligned to 0: window k is [5k, 5k + 10).
        List<?> items = evs("a", 0, 0, 4, 4, 5, 5, 9, 9, 10, 10);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, List<Win.Ev>> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.sliding(mins(10), mins(5), min(0))).collectList("collect"));
            assertEquals(Map.of("a", List.of(
                    res(-1, List.of(new Win.Ev(0, 0), new Win.Ev(4, 4))),
                    res(0, List.of(new Win.Ev(0, 0), new Win.Ev(4, 4), new Win.Ev(5, 5), new Win.Ev(9, 9))),
                    res(1, List.of(new Win.Ev(5, 5), new Win.Ev(9, 9), new Win.Ev(10, 10))),
                    res(2, List.of(new Win.Ev(10, 10))))), out.downByKey(), "workers=" + w);
        }
    }

    @Test
    void anUnevenOffsetStillPlacesItemsExactly() {
        // Length 5, offset 3, aligned to 1: windows [1,6) [4,9) [7,12) ...; minute 6 is in window 1 only.
        List<?> items = evs("a", 4, 1, 5, 1, 6, 1);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w,
                    s -> Windowing.of(s, Win.CLOCK, Windower.sliding(mins(5), mins(3), min(1))).count("count"));
            assertEquals(List.of(), out.late());
            assertEquals(Map.of("a", List.of(res(0, 2L), res(1, 3L))), out.downByKey(), "workers=" + w);
        }
    }

    @Test
    void rejectsAnOffsetLongerThanTheLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windower.sliding(mins(5), mins(6), Instant.EPOCH));
        assertEquals("sliding window offset PT6M is longer than its length PT5M: items between windows would be lost;"
                + " use an offset <= length", e.getMessage());
    }

    /** Truncated to milliseconds, this offset (10.9 ms) would pass the check above as 10 ms. */
    @Test
    void rejectsDurationsThatAreNotWholeMilliseconds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windower.sliding(Duration.ofMillis(10), Duration.ofNanos(10_900_000), Instant.EPOCH));
        assertEquals("sliding window offset PT0.0109S is not a whole number of milliseconds, which is what window"
                + " times are counted in; use Duration.ofMillis(10) or Duration.ofMillis(11)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Windower.sliding(Duration.ofNanos(-1_500_000), Duration.ofMillis(5), Instant.EPOCH));
        assertEquals("sliding window length PT-0.0015S is not a whole number of milliseconds, which is what window"
                + " times are counted in; use Duration.ofMillis(-2) or Duration.ofMillis(-1)", e.getMessage());
        // Too long to count in milliseconds, and not whole ones: still a clear message, not an overflow.
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE / 10, 1);
        e = assertThrows(IllegalArgumentException.class, () -> Windower.sliding(huge, huge, Instant.EPOCH));
        assertEquals("sliding window length " + huge + " is not a whole number of milliseconds, which is what window"
                + " times are counted in; use a whole number of milliseconds", e.getMessage());
    }
}
