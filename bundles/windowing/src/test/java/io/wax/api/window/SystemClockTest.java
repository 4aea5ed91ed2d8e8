package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.Clock;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemClockTest {
    @Test
    void timesItemsByTheSystemClockAndNeverCallsThemLate() {
        List<?> items = List.of(KV.of("a", "x"), KV.of("b", "y"), KV.of("a", "z"));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
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

    @Test
    void aWindowClosesWhenTheSystemClockPassesItsEnd() {
        // Windows of 100 ms: the item's window ends at most 100 ms after it arrives, and the
        // result must come long before the source ends 1.5 s later.
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            TestingSink<KV<WindowResult<Long>>> down = new TestingSink<>();
            AtomicLong seenAt = new AtomicLong();
            Flows.run(w, RunOptions.defaults().withEpochInterval(Duration.ofHours(1)), p -> {
                Dataflow flow = new Dataflow("f");
                KeyedStream<String> in = KeyedStream.of(flow.<KV<String>>input("inp", new TestingSource<KV<String>>(
                        List.of(KV.of("a", "x"), TestingSource.pause(Duration.ofMillis(1500))))));
                Windowing.of(in, Clock.<String>system(), Windower.tumbling(Duration.ofMillis(100), Instant.EPOCH))
                        .count("count").down().inspect("seen", (where, kv) -> seenAt.compareAndSet(0, System.nanoTime()))
                        .output("down", down);
                return flow;
            });
            long end = System.nanoTime();
            assertEquals(1, down.items().size());
            assertTrue(end - seenAt.get() > 1_000_000_000L, "the window closed only "
                    + (end - seenAt.get()) / 1_000_000 + " ms before the end, workers=" + w);
        }
    }
}
