package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.Clock;
import io.wax.api.window.ClockLogic;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowOut;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventClockTest {
    @Test
    void theWatermarkFollowsTheLargestTimestampMinusTheWaitAndNeverGoesBack() throws Exception {
        // The engine hands the clock the system time, so the watermark is exact: lead = the
        // largest timestamp - arrival time, watermark = lead + now - wait.
        ClockLogic<Long, Long> clock = Clock.<Long>eventMillis(t -> t, Duration.ofSeconds(10)).build(null);
        assertNull(clock.snapshot());
        assertEquals(Long.MAX_VALUE, clock.systemTimeFor(5_000), "no item yet: no watermark to wait for");
        clock.beforeBatch(1_000);
        assertEquals(100_000, clock.onItem(100_000L));
        assertEquals(90_000, clock.watermark());
        assertEquals(50_000, clock.onItem(50_000L));
        assertEquals(90_000, clock.watermark(), "an older item does not move the watermark back");
        clock.onItem(130_000L);
        assertEquals(120_000, clock.watermark());
        assertEquals(121_000, clock.systemTimeFor(240_000), "120 s of watermark to go at 1:1 from system time 1 s");
        clock.beforeBatch(3_000);
        clock.onItem(100_000L);
        assertEquals(122_000, clock.watermark(), "with no newer item the watermark moves with system time");
        assertEquals(127_000, clock.onNotify(8_000));
        Long snapshot = clock.snapshot();
        assertEquals(129_000L, snapshot);
        assertEquals(Long.MAX_VALUE, clock.onEof());
        assertEquals(snapshot, clock.snapshot(), "end of input must not change the state");
        // A resumed clock continues from the same lead, moving on with system time.
        ClockLogic<Long, Long> resumed = Clock.<Long>eventMillis(t -> t, Duration.ofSeconds(10)).build(snapshot);
        assertEquals(129_000 + 60_000 - 10_000, resumed.onNotify(60_000));
    }

    @Test
    void systemTimeClosesAWindowAsSoonAsTheWatermarkPassesItsEndNotAtEndOfEpochOrInput() {
        // Timestamps in ms, no wait: window [0, 100) closes 50 ms (system time) after the item at
        // 50 arrives. The source then pauses 1.5 s, so the result must come well before the end,
        // although epochs last an hour (Bytewax #221 held results until the epoch ended). The
        // item at 60 that follows the pause is late: the watermark moved on with system time.
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            TestingSink<KV<WindowResult<Long>>> down = new TestingSink<>();
            TestingSink<KV<LateItem<Long>>> late = new TestingSink<>();
            AtomicLong seenAt = new AtomicLong();
            Flows.run(w, RunOptions.defaults().withEpochInterval(Duration.ofHours(1)), p -> {
                Dataflow flow = new Dataflow("f");
                KeyedStream<Long> in = KeyedStream.of(flow.<KV<Long>>input("inp", new TestingSource<KV<Long>>(
                        List.of(KV.of("a", 0L), KV.of("a", 50L), TestingSource.pause(Duration.ofMillis(1500)),
                                KV.of("a", 60L)))));
                WindowOut<Long, Long> out = Windowing.of(in, Clock.<Long>eventMillis(t -> t, Duration.ZERO),
                        Windower.tumbling(Duration.ofMillis(100), Instant.EPOCH)).count("count");
                out.down().inspect("seen", (where, kv) -> seenAt.compareAndSet(0, System.nanoTime())).output("down", down);
                out.late().output("late", late);
                return flow;
            });
            long end = System.nanoTime();
            assertEquals(List.of(KV.of("a", new WindowResult<>(0, 2L, 0))), down.items());
            assertTrue(end - seenAt.get() > 1_000_000_000L, "the window closed only "
                    + (end - seenAt.get()) / 1_000_000 + " ms before the end, workers=" + w);
            assertEquals(List.of(KV.of("a", new LateItem<>(0, 60L))), late.items());
        }
    }

    @Test
    void endOfInputClosesEveryWindow() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(Win.evs("a", 0, 1, 1000, 1), w, s -> Windowing.of(s,
                    Clock.eventMillis((Win.Ev e) -> e.minute() * Win.MINUTE, Duration.ofDays(365)),
                    Windower.tumbling(Win.mins(5), Win.min(0))).count("count"));
            assertEquals(List.of(KV.of("a", new WindowResult<>(0, 1L, 0)), KV.of("a", new WindowResult<>(200, 1L, 0))),
                    out.down());
        }
    }

    @Test
    void rejectsAWaitThatIsNegativeOrNotWholeMilliseconds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clock.eventMillis((Long t) -> t, Duration.ofSeconds(-1)));
        assertEquals("event clock wait must be a duration >= 0, got PT-1S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Clock.eventMillis((Long t) -> t, Duration.ofNanos(1)));
        assertEquals("event clock wait PT0.000000001S is not a whole number of milliseconds, which is what window"
                + " times are counted in; use Duration.ofMillis(0) or Duration.ofMillis(1)", e.getMessage());
    }
}
