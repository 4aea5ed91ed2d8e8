package io.wax.engine.window;

import static io.wax.engine.window.Win.CLOCK;
import static io.wax.engine.window.Win.evs;
import static io.wax.engine.window.Win.min;
import static io.wax.engine.window.Win.mins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllowedLatenessTest {
    @Test
    void aLateItemWithinTheAllowanceRefiresItsWindowAsAnUpdate() {
        // Window [0, 5) fires when 6 arrives; 3 is then late by less than 4 minutes (re-fire, update 1),
        // 4 again (update 2); after 9 arrives, 1 is late by more than the allowance.
        List<?> items = evs("a", 0, 1, 2, 1, 6, 1, 3, 1, 4, 1, 9, 1, 1, 1);
        for (int w : Flows.WORKERS) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w, s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0)))
                    .allowedLateness(mins(4)).count("count"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, 2L, 0), new WindowResult<>(0, 3L, 1),
                    new WindowResult<>(0, 4L, 2), new WindowResult<>(1, 2L, 0))), out.downByKey(), "workers=" + w);
            assertEquals(Map.of("a", List.of(new LateItem<>(0, new Win.Ev(1, 1)))), out.lateByKey());
        }
    }

    @Test
    void withoutAnAllowanceTheSameItemsAreLate() {
        List<?> items = evs("a", 0, 1, 2, 1, 6, 1, 3, 1, 4, 1, 9, 1, 1, 1);
        for (int w : Flows.WORKERS) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0))).count("count"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, 2L, 0), new WindowResult<>(1, 2L, 0))),
                    out.downByKey(), "workers=" + w);
            assertEquals(3, out.late().size());
        }
    }

    @Test
    void rejectsANegativeAllowance() {
        Dataflow flow = new Dataflow("f");
        KeyedStream<Win.Ev> in = KeyedStream.of(flow.<KV<Win.Ev>>input("inp", new TestingSource<KV<Win.Ev>>(List.of())));
        Windowing<Win.Ev> windowing = Windowing.of(in, CLOCK, Windower.tumbling(mins(5), min(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> windowing.allowedLateness(Duration.ofMinutes(-1)));
        assertEquals("allowed lateness must be a duration >= 0, got PT-1M", e.getMessage());
    }
}
