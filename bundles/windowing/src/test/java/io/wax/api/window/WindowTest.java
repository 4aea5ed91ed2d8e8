package io.wax.api.window;

import static io.wax.api.window.Win.CLOCK;
import static io.wax.api.window.Win.concat;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.window.LateItem;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.engine.testkit.Flows;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WindowTest {
    /** Emits each value's running total as it comes, and "closed" when the window fires. */
    private static final class Running implements WindowLogic<Win.Ev, String, Integer> {
        private int total;

        Running(Integer resume) {
            total = resume == null ? 0 : resume;
        }

        @Override
        public void onValue(Win.Ev value, Consumer<? super String> out) {
            total += value.value();
            out.accept("running " + total);
        }

        @Override
        public void onClose(Consumer<? super String> out) {
            out.accept("closed " + total);
        }

        @Override
        public Integer snapshot() {
            return total;
        }
    }

    /** Unordered, a value reaches its window's logic as it arrives: "running 4" comes before window 0 closes. */
    @Test
    void theGenericOperatorRunsAUserLogicPerWindowAndSplitsLateItems() {
        List<?> items = concat(evs("a", 0, 1, 1, 2, 7, 4, 2, 100), evs("b", 3, 5));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, String> out = Win.run(items, w, s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0)))
                    .ordered(false).window("running", Running::new));
            assertEquals(Map.of(
                    "a", List.of(new WindowResult<>(0, "running 1", 0), new WindowResult<>(0, "running 3", 0),
                            new WindowResult<>(1, "running 4", 0), new WindowResult<>(0, "closed 3", 0),
                            new WindowResult<>(1, "closed 4", 0)),
                    "b", List.of(new WindowResult<>(0, "running 5", 0), new WindowResult<>(0, "closed 5", 0))),
                    out.downByKey(), "workers=" + w);
            assertEquals(Map.of("a", List.of(new LateItem<>(0, new Win.Ev(2, 100)))), out.lateByKey());
        }
    }

    /**
     * Ordered (the default, as Bytewax's {@code window}), a value reaches its window's logic once
     * the watermark passes its timestamp: minute 7 waits until end of input, after window 0 closed.
     */
    @Test
    void byDefaultValuesReachTheLogicOnceTheWatermarkPassesThem() {
        List<?> items = concat(evs("a", 0, 1, 1, 2, 7, 4, 2, 100), evs("b", 3, 5));
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, String> out = Win.run(items, w,
                    s -> Windowing.of(s, CLOCK, Windower.tumbling(mins(5), min(0))).window("running", Running::new));
            assertEquals(Map.of(
                    "a", List.of(new WindowResult<>(0, "running 1", 0), new WindowResult<>(0, "running 3", 0),
                            new WindowResult<>(0, "closed 3", 0), new WindowResult<>(1, "running 4", 0),
                            new WindowResult<>(1, "closed 4", 0)),
                    "b", List.of(new WindowResult<>(0, "running 5", 0), new WindowResult<>(0, "closed 5", 0))),
                    out.downByKey(), "workers=" + w);
            assertEquals(Map.of("a", List.of(new LateItem<>(0, new Win.Ev(2, 100)))), out.lateByKey());
        }
    }
}
