package io.wax.api.window;

import static io.wax.api.window.Win.CLOCK;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.Clock;
import io.wax.api.window.ClockLogic;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
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
        for (Flows.Topology w : Flows.TOPOLOGIES) {
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
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0))).count("count"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, 2L, 0), new WindowResult<>(1, 2L, 0))),
                    out.downByKey(), "workers=" + w);
            assertEquals(3, out.late().size());
        }
    }

    /**
     * End of input fires every window early; a flow resumed after it, from a source that has more,
     * must then update a window it fired, not start it afresh. With an allowance the fired window
     * is kept in the end-of-input snapshot, so a@3 re-fires window 0 with all three items as update
     * 1. Without one it starts afresh and comes out as a first result again, as in Bytewax.
     */
    @Test
    void aFlowResumedAfterEndOfInputUpdatesTheWindowsItFired() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            for (long lateness : new long[] {10, 0}) {
                WindowResult<List<Win.Ev>> resumed = lateness > 0
                        ? new WindowResult<>(0, List.of(new Win.Ev(1, 1), new Win.Ev(2, 2), new Win.Ev(3, 3)), 1)
                        : new WindowResult<>(0, List.of(new Win.Ev(3, 3)), 0);
                assertEquals(List.of(KV.of("a", new WindowResult<>(0, List.of(new Win.Ev(1, 1), new Win.Ev(2, 2)), 0)),
                        KV.of("a", resumed), KV.of("a", new WindowResult<>(4, List.of(new Win.Ev(20, 4)), 0))),
                        resumeAfterEndOfInput(CLOCK, lateness, w), "lateness " + lateness + ", workers " + w);
            }
        }
    }

    /**
     * A clock whose end-of-input watermark is finite is taken at its word: here it is 12 minutes,
     * past window 0's end plus the 1 minute allowance, so the window is dropped at the end like
     * any window the watermark passed, and a@3 after the resume starts it afresh. (Kept, as the
     * +infinity end keeps it, a@3 would re-fire it as update 1.)
     */
    @Test
    void aFiniteEndOfInputWatermarkDropsWhatItPassesByTheAllowance() {
        Clock<Win.Ev, Long> endsAt12 = resume -> {
            ClockLogic<Win.Ev, Long> c = CLOCK.build(resume);
            return new ClockLogic<>() {
                @Override
                public void beforeBatch(long nowMillis) {
                    c.beforeBatch(nowMillis);
                }

                @Override
                public long onItem(Win.Ev value) throws Exception {
                    return c.onItem(value);
                }

                @Override
                public long watermark() {
                    return c.watermark();
                }

                @Override
                public long onNotify(long nowMillis) {
                    return c.onNotify(nowMillis);
                }

                @Override
                public long onEof() {
                    return 12 * Win.MINUTE;
                }

                @Override
                public long systemTimeFor(long watermark) {
                    return c.systemTimeFor(watermark);
                }

                @Override
                public Long snapshot() {
                    return c.snapshot();
                }
            };
        };
        // Window 4 [20, 25) never fires: the second end of input's watermark (12 minutes) does not reach it.
        assertEquals(List.of(KV.of("a", new WindowResult<>(0, List.of(new Win.Ev(1, 1), new Win.Ev(2, 2)), 0)),
                KV.of("a", new WindowResult<>(0, List.of(new Win.Ev(3, 3)), 0))), resumeAfterEndOfInput(endsAt12, 1, new Flows.Topology(1, 1)));
    }

    /** Runs a@1, a@2, end of input; then resumes and runs a@3, a@20: the results of both runs. */
    private static List<KV<WindowResult<List<Win.Ev>>>> resumeAfterEndOfInput(Clock<Win.Ev, Long> clock, long lateness,
            Flows.Topology workers) {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        TestingSource<KV<Win.Ev>> source = new TestingSource<>(List.of(KV.of("a", new Win.Ev(1, 1)),
                KV.of("a", new Win.Ev(2, 2)), TestingSource.EOF, KV.of("a", new Win.Ev(3, 3)),
                KV.of("a", new Win.Ev(20, 4))));
        TestingSink<KV<WindowResult<List<Win.Ev>>>> sink = new TestingSink<>();
        for (int run = 1; run <= 2; run++) {
            Flows.run(workers, RunOptions.defaults().withEpochInterval(Duration.ofMillis(10)).withRecovery(store), p -> {
                Dataflow flow = new Dataflow("f");
                flow.codecs().register(Win.Ev.class);
                Windowing.of(KeyedStream.of(flow.<KV<Win.Ev>>input("inp", source)), clock, Windower.tumbling(mins(5), min(0)))
                        .allowedLateness(mins(lateness)).collectList("c").down().output("out", sink);
                return flow;
            });
        }
        return sink.items();
    }

    @Test
    void rejectsANegativeAllowance() {
        Dataflow flow = new Dataflow("f");
        flow.codecs().register(Win.Ev.class);
        KeyedStream<Win.Ev> in = KeyedStream.of(flow.<KV<Win.Ev>>input("inp", new TestingSource<KV<Win.Ev>>(List.of())));
        Windowing<Win.Ev> windowing = Windowing.of(in, CLOCK, Windower.tumbling(mins(5), min(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> windowing.allowedLateness(Duration.ofMinutes(-1)));
        assertEquals("allowed lateness must be a duration >= 0, got PT-1M", e.getMessage());
        // Truncated to milliseconds this would be 0, which is "off".
        e = assertThrows(IllegalArgumentException.class, () -> windowing.allowedLateness(Duration.ofNanos(500_000)));
        assertEquals("allowed lateness PT0.0005S is not a whole number of milliseconds, which is what window times"
                + " are counted in; use Duration.ofMillis(0) or Duration.ofMillis(1)", e.getMessage());
    }
}
