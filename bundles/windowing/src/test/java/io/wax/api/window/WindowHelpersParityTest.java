package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 6 (the window parts): {@code join_window} with Bytewax's default modes, and
 * {@code count_window} with a key function, restating Bytewax's {@code
 * test_join_window_default_mode_is_last_final} and the {@code count_window} doc example, at 1, 2
 * and 3 workers and in a cluster of two processes.
 */
class WindowHelpersParityTest {
    record Event(Instant timestamp, int value) {
    }

    record Fruit(String name, Instant time) {
    }

    private static final Instant ALIGN = Instant.parse("2024-01-01T00:00:00Z");

    /** Bytewax's default join_window modes are LAST and FINAL: left 1 (0 s), right 2 (1 s) and 3 (2 s) give (1, 3). */
    @Test
    void joinWindowDefaultsToLastFinal() {
        Clock<Event, Long> clock = Clock.event(Event::timestamp, Duration.ofDays(365L * 1000));
        for (Flows.Topology t : Flows.TOPOLOGIES) {
            List<List<Integer>> got = Flows.outputs(t, (Dataflow flow) -> {
                flow.codecs().register(Event.class);
                KeyedStream<Event> l = flow.<Event>input("inp_l", new TestingSource<>(List.of(
                        new Event(ALIGN, 1)))).keyOn("key_l", e -> "ALL");
                KeyedStream<Event> r = flow.<Event>input("inp_r", new TestingSource<>(List.of(
                        new Event(ALIGN.plusSeconds(1), 2), new Event(ALIGN.plusSeconds(2), 3)))).keyOn("key_r", e -> "ALL");
                return Windowing.of(l, clock, Windower.session(Duration.ofSeconds(10))).join("join", List.of(r))
                        .down().keyRm("unkey").map("clean", row -> Arrays.asList(row.value().get(0).value(),
                                row.value().get(1).value()));
            });
            assertEquals(List.of(Arrays.asList(1, 3)), got, "with " + t);
        }
    }

    /**
     * Bytewax's count_window example: fruit names are the keys, 15 minute windows from 12:00, no
     * wait. Window 0 has two apples and a banana, window 1 an apple, a banana and a cherry.
     */
    @Test
    void countWindowKeysItemsWithAFunctionAndCountsPerWindow() {
        Instant noon = Instant.parse("2023-01-01T12:00:00Z");
        List<Fruit> data = List.of(new Fruit("apple", noon), new Fruit("banana", noon.plusSeconds(5 * 60)),
                new Fruit("apple", noon.plusSeconds(10 * 60)), new Fruit("banana", noon.plusSeconds(15 * 60)),
                new Fruit("apple", noon.plusSeconds(20 * 60)), new Fruit("cherry", noon.plusSeconds(25 * 60)));
        for (Flows.Topology t : Flows.TOPOLOGIES) {
            List<KV<WindowResult<Long>>> got = Flows.outputs(t, (Dataflow flow) -> {
                flow.codecs().register(Fruit.class);
                WindowOut<Fruit, Long> counts = Windowing.countWindow("count_window",
                        flow.<Fruit>input("input", new TestingSource<>(data)), Fruit::name,
                        Clock.event(Fruit::time, Duration.ZERO), Windower.tumbling(Duration.ofMinutes(15), noon));
                return counts.down();
            });
            assertEquals(Map.of(
                    "apple", List.of(new WindowResult<>(0, 2L, 0), new WindowResult<>(1, 1L, 0)),
                    "banana", List.of(new WindowResult<>(0, 1L, 0), new WindowResult<>(1, 1L, 0)),
                    "cherry", List.of(new WindowResult<>(1, 1L, 0))), Flows.byKey(got), "with " + t);
        }
    }

    @Test
    void countWindowNeedsAKeyFunction() {
        Dataflow flow = new Dataflow("f");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Windowing.countWindow("count",
                flow.<Fruit>input("input", new TestingSource<>(List.of())), null,
                Clock.event(Fruit::time, Duration.ZERO), Windower.tumbling(Duration.ofMinutes(15), Instant.EPOCH)));
        assertEquals("count_window 'count' needs a key function, got null", e.getMessage());
    }
}
