package io.wax.api.window;

import static io.wax.api.window.Win.CLOCK;
import static io.wax.api.window.Win.concat;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static io.wax.api.window.Win.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.window.WindowMeta;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TumblingWindowerTest {
    @Test
    void eachItemFallsInExactlyOneAlignedWindow() {
        // Windows of 10 minutes aligned to minute 3: [3, 13) is window 0, [-7, 3) is window -1.
        List<?> items = evs("a", -7, 1, 2, 2, 3, 3, 12, 4, 13, 5);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, List<Win.Ev>> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(10), min(3))).collectList("collect"));
            assertEquals(Map.of("a", List.of(
                    res(-1, List.of(new Win.Ev(-7, 1), new Win.Ev(2, 2))),
                    res(0, List.of(new Win.Ev(3, 3), new Win.Ev(12, 4))),
                    res(1, List.of(new Win.Ev(13, 5))))), out.downByKey(), "workers=" + w);
            assertEquals(Map.of("a", List.of(
                    new WindowMeta(-1, min(-7), min(3), List.of()),
                    new WindowMeta(0, min(3), min(13), List.of()),
                    new WindowMeta(1, min(13), min(23), List.of()))), out.metaByKey());
        }
    }

    @Test
    void anAlignmentFarInThePastLosesNothing() {
        // Bytewax #413: aligning to year 1 must not drop or misplace items of today.
        Instant yearOne = Instant.parse("0001-01-01T00:00:00Z");
        long today = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli() / Win.MINUTE;
        List<?> items = concat(evs("a", today, 1, today + 1, 1, today + 59, 1, today + 60, 1));
        long hoursSinceYearOne = (today * Win.MINUTE - yearOne.toEpochMilli()) / 3_600_000L;
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.tumbling(Duration.ofHours(1), yearOne)).count("count"));
            assertEquals(Map.of("a", List.of(res(hoursSinceYearOne, 3L), res(hoursSinceYearOne + 1, 1L))),
                    out.downByKey());
        }
    }

    @Test
    void rejectsAnEmptyLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windower.tumbling(Duration.ZERO, Instant.EPOCH));
        assertEquals("tumbling window length must be at least 1 ms, got PT0S", e.getMessage());
    }

    /**
     * Instant.MIN cannot be counted in milliseconds, and an alignTo of Long.MIN_VALUE ms would make
     * {@code timestamp - alignTo} overflow, so window ids would no longer grow with time.
     */
    @Test
    void rejectsAnAlignToTooFarFrom1970() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windower.tumbling(Duration.ofMinutes(1), Instant.MIN));
        assertEquals("tumbling window alignTo -1000000000-01-01T00:00:00Z is too far from 1970 (the limit is about 73"
                + " million years either way); any window start works, e.g. Instant.EPOCH", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Windower.tumbling(Duration.ofMinutes(1), Instant.ofEpochMilli(Long.MIN_VALUE)));
        assertThrows(IllegalArgumentException.class,
                () -> Windower.tumbling(Duration.ofMinutes(1), Instant.ofEpochMilli(Long.MAX_VALUE / 4 + 1)));
        // The limits themselves, and an alignTo finer than a millisecond (Instant.now()), are fine.
        Windower.tumbling(Duration.ofMinutes(1), Instant.ofEpochMilli(Long.MAX_VALUE / 4));
        Windower.tumbling(Duration.ofMinutes(1), Instant.ofEpochMilli(-(Long.MAX_VALUE / 4)));
        Windower.tumbling(Duration.ofMinutes(1), Instant.ofEpochSecond(1, 123_456));
    }
}
