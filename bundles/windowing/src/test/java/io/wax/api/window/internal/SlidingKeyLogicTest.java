package io.wax.api.window.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Emitter;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.window.Clock;
import io.wax.api.window.ClockLogic;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SlidingKeyLogic} against {@link WindowKeyLogic}, which it stands in for with sliding and
 * tumbling windows and no allowed lateness: fed the same random batches (out-of-order and late
 * values, notifications, snapshots and resumes, end of input), both must emit the same items in
 * the same order, discard the key at the same calls, ask for the same wake-ups and snapshot the
 * same state.
 */
class SlidingKeyLogicTest {
    record Ev(long ts, int id) {
    }

    /** Watermark = the last timestamp minus a wait; a notification sets it to the time given. */
    static final class TestClock implements ClockLogic<Ev, Long> {
        final long wait;
        long wm;

        TestClock(long wait, Long resume) {
            this.wait = wait;
            this.wm = resume == null ? Long.MIN_VALUE : resume;
        }

        @Override
        public long onItem(Ev v) {
            wm = Sat.sub(v.ts(), wait);
            return v.ts();
        }

        @Override
        public long watermark() {
            return wm;
        }

        @Override
        public long onNotify(long now) {
            wm = now;
            return wm;
        }

        @Override
        public long systemTimeFor(long w) {
            return w;
        }

        @Override
        public Long snapshot() {
            return wm;
        }
    }

    static final class Out implements Emitter<Object> {
        final List<Object> items = new ArrayList<>();
        boolean discard;
        long now;

        @Override
        public void emit(Object o) {
            items.add(o);
        }

        @Override
        public void discardState() {
            discard = true;
        }

        @Override
        public long systemTimeMillis() {
            return now;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static WindowStep<Ev, Object, Object> step(long len, long off, long align, long wait, boolean count,
                                                       boolean meta, long lateness) {
        Clock<Ev, Long> clock = resume -> new TestClock(wait, resume);
        Windower<?> windower = Windower.sliding(Duration.ofMillis(len), Duration.ofMillis(off), Instant.ofEpochMilli(align));
        WindowLogic.Builder logic = count ? CountWindowLogic.builder() : CollectWindowLogic.list();
        MetaSwitch metaSwitch = new MetaSwitch();
        if (meta) {
            metaSwitch.on();
        }
        return new WindowStep(clock, windower, logic, lateness, metaSwitch, null);
    }

    private static SlidingKeyLogic<Ev, Object, Object> sliding(WindowStep<Ev, Object, Object> step, WindowState resume)
            throws Exception {
        return new SlidingKeyLogic<>(step, (SlidingWindowerLogic) (Object) step.windower(), resume);
    }

    /** Runs one random stream through both logics; returns whether the sliding one handed over. */
    private static boolean compare(long seed, boolean many) throws Exception {
        Random r = new Random(seed);
        long len = 1 + r.nextInt(10);
        long off = r.nextBoolean() ? len : 1 + r.nextInt((int) len);
        long wait = many ? 200 + r.nextInt(2000) : r.nextInt(30);
        WindowStep<Ev, Object, Object> step = step(len, off, r.nextInt(15) - 7, wait, r.nextBoolean(), r.nextBoolean(), 0);
        StatefulBatchLogic<Ev, Object, WindowState> general = new WindowKeyLogic<>(step, null);
        SlidingKeyLogic<Ev, Object, Object> sliding = sliding(step, null);
        Out g = new Out();
        Out s = new Out();
        String where = "seed " + seed + (many ? " (many windows)" : "");
        long t = r.nextInt(20);
        int n = many ? 2000 : 1 + r.nextInt(200);
        int id = 0;
        boolean handedOver = false;
        for (int i = 0; i < n; ) {
            List<Ev> batch = new ArrayList<>();
            for (int j = 1 + r.nextInt(8); j > 0 && i < n; j--, i++) {
                int d = r.nextInt(10);
                long at;
                if (many) {
                    at = t + r.nextInt(2000) - 1000;
                    t += r.nextInt(3);
                } else {
                    at = d < 6 ? (t += r.nextInt(4)) : d < 7 ? (t += 4 + r.nextInt(6)) : d < 9 ? t - r.nextInt(6)
                            : t - 5 - r.nextInt(16);
                }
                batch.add(new Ev(at, id++));
            }
            g.discard = false;
            s.discard = false;
            general.onBatch(batch, g);
            sliding.onBatch(batch, s);
            handedOver |= sliding.handedOver();
            assertEquals(g.items, s.items, where + ", after " + batch);
            assertEquals(g.discard, s.discard, where + ": discard");
            assertEquals(general.notifyAt(), sliding.notifyAt(), where + ": wake-up");
            assertEquals(general.snapshot(), sliding.snapshot(), where + ": snapshot");
            if (r.nextInt(5) == 0) {
                g.now = t - 10 + r.nextInt(20);
                s.now = g.now;
                general.onNotify(g);
                sliding.onNotify(s);
                assertEquals(g.items, s.items, where + ", after a notification at " + g.now);
            }
            if (r.nextInt(6) == 0) {
                general = new WindowKeyLogic<>(step, general.snapshot());
                sliding = sliding(step, sliding.snapshot());
            }
        }
        general.onEof(g);
        sliding.onEof(s);
        assertEquals(g.items, s.items, where + ", at end of input");
        assertEquals(general.snapshot(), sliding.snapshot(), where + ": snapshot at end of input");
        return handedOver;
    }

    @Test
    void givesWhatTheGeneralLogicGives() throws Exception {
        for (long seed = 0; seed < 3000; seed++) {
            compare(seed, false);
        }
    }

    @Test
    void handsKeysWithManyWindowsOverToTheGeneralLogic() throws Exception {
        int handedOver = 0;
        for (long seed = 0; seed < 40; seed++) {
            handedOver += compare(seed, true) ? 1 : 0;
        }
        assertTrue(handedOver > 10, "only " + handedOver + " of 40 streams kept over " + SlidingKeyLogic.HAND_OVER
                + " windows");
    }

    /**
     * A state written with allowed lateness keeps windows that already fired; resumed by a step
     * without lateness (the flow changed), they are dropped when due, not fired again.
     */
    @Test
    void windowsThatFiredBeforeARestartWithoutLatenessDoNotFireAgain() throws Exception {
        WindowStep<Ev, Object, Object> step = step(10, 10, 0, 0, true, false, 0);
        WindowState resume = new WindowState(5L, null, List.of(new WindowState.Window(0, 3L, 1, false, List.of(), 0, 0),
                new WindowState.Window(1, 2L, 0, false, List.of(), 0, 0)));
        StatefulBatchLogic<Ev, Object, WindowState> logic = step.build(resume);
        Out out = new Out();
        logic.onEof(out);
        assertEquals(List.of(new WindowResult<>(1, 2L, 0)), out.items);
    }
}
