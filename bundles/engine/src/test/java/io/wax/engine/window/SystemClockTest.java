package io.wax.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.KV;
import io.wax.api.window.Clock;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemClockTest {
    @Test
    void timesItemsByTheSystemClockAndNeverCallsThemLate() {
        List<?> items = List.of(KV.of("a", "x"), KV.of("b", "y"), KV.of("a", "z"));
        for (int w : Flows.WORKERS) {
            Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
            // One window from a day ago to a day ahead: every item of the run falls in it.
            Instant align = start.minus(Duration.ofDays(1));
            Win.Out<String, List<String>> out = Win.run(items, w, s -> Windowing.of(s, Clock.<String>system(),
                    Windower.tumbling(Duration.ofDays(2), align)).collectList("collect"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, List.of("x", "z"), 0)),
                    "b", List.of(new WindowResult<>(0, List.of("y"), 0))), out.downByKey(), "workers=" + w);
            assertEquals(List.of(), out.late());
            for (KV<WindowMeta> m : out.meta()) {
                assertTrue(m.value().openTime().equals(align) && m.value().closeTime().isAfter(start), m.toString());
            }
        }
    }
}
