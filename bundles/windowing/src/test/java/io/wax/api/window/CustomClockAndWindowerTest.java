package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.KV;
import io.wax.api.window.Clock;
import io.wax.api.window.ClockLogic;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.WindowerLogic;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** Users plug in their own sense of time and their own windows through the public interfaces. */
class CustomClockAndWindowerTest {
    /** Time is the item's sequence number per key: the n-th item has timestamp n, watermark n. */
    private static final class Counter implements ClockLogic<String, Long> {
        private long n;

        Counter(Long resume) {
            n = resume == null ? 0 : resume;
        }

        @Override
        public long onItem(String value) {
            return n++;
        }

        @Override
        public long watermark() {
            return n - 1;
        }

        @Override
        public long onNotify(long nowMillis) {
            return n - 1;
        }

        @Override
        public long systemTimeFor(long watermark) {
            return Long.MAX_VALUE;
        }

        @Override
        public Long snapshot() {
            return n;
        }
    }

    /** Windows of three consecutive timestamps; window k is [3k, 3k + 3). */
    private static final class Threes implements WindowerLogic<Void> {
        @Override
        public void openFor(long timestamp, long watermark, LongConsumer windows) {
            windows.accept(Math.floorDiv(timestamp, 3));
        }

        @Override
        public void lateFor(long timestamp, LongConsumer windows) {
            openFor(timestamp, Long.MIN_VALUE, windows);
        }

        @Override
        public long openTime(long window) {
            return 3 * window;
        }

        @Override
        public long closeTime(long window) {
            return 3 * window + 3;
        }

        @Override
        public long closesAt(long window) {
            // Complete once its last item arrived.
            return 3 * window + 2;
        }

        @Override
        public Void snapshot() {
            return null;
        }
    }

    @Test
    void aUserClockAndWindowerGroupEveryThreeItemsPerKey() {
        Clock<String, Long> byCount = Counter::new;
        Windower<Void> threes = resume -> new Threes();
        List<?> items = List.of(KV.of("a", "a1"), KV.of("b", "b1"), KV.of("a", "a2"), KV.of("a", "a3"), KV.of("a", "a4"),
                KV.of("b", "b2"));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<String, List<String>> out = Win.run(items, w,
                    s -> Windowing.of(s, byCount, threes).collectList("threes"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, List.of("a1", "a2", "a3"), 0),
                    new WindowResult<>(1, List.of("a4"), 0)), "b", List.of(new WindowResult<>(0, List.of("b1", "b2"), 0))),
                    out.downByKey(), "workers=" + w);
        }
    }
}
