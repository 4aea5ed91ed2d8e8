package io.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.RunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Resuming at another worker count is rescaling: state stored as bytes goes back to the worker
 * that owns its key now. A running count aborted with 3 workers, resumed with 2 (as 2 processes of
 * 1 worker), aborted again and resumed with 5 ends with the counts of an uninterrupted run.
 */
class RescaleTest {
    private static Map<String, List<Object>> parts() {
        Map<String, List<Object>> parts = new TreeMap<>();
        for (int p = 0; p < 4; p++) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                if (p == 0 && (i == 20 || i == 45)) {
                    items.add(TestingSource.ABORT);
                }
                items.add("k" + ((i * 7 + p) % 11));
                if (i % 5 == 4) {
                    items.add(TestingSource.pause(Duration.ofMillis(15)));
                }
            }
            parts.put("part-" + p, items);
        }
        return parts;
    }

    private static Dataflow counting(TestingSource<String> source, TestingSink<KV<Long>> sink) {
        Dataflow flow = new Dataflow("rescale");
        flow.input("inp", source).keyOn("key", w -> w)
                .statefulMap("count", (Long n, String w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                .output("out", sink);
        return flow;
    }

    /** Each key's highest count: its final count, whatever was replayed. */
    private static Map<String, Long> finals(List<KV<Long>> items) {
        Map<String, Long> m = new TreeMap<>();
        items.forEach(kv -> m.merge(kv.key(), kv.value(), Math::max));
        return m;
    }

    @Test
    void threeWorkersThenTwoProcessesThenFiveWorkersGiveTheUninterruptedCounts() {
        TestingSink<KV<Long>> want = new TestingSink<>();
        Map<String, List<Object>> clean = new TreeMap<>();
        parts().forEach((k, v) -> clean.put(k, v.stream().filter(x -> x != TestingSource.ABORT).toList()));
        Runner.run(counting(new TestingSource<>(clean, 2), want), Flows.options(1));

        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        TestingSource<String> source = new TestingSource<>(parts(), 2);
        TestingSink<KV<Long>> got = new TestingSink<>();
        RunOptions options = RunOptions.defaults().withEpochInterval(Duration.ofMillis(10)).withRecovery(store);
        assertThrows(FlowAbortedException.class, () -> Runner.run(counting(source, got), options.withWorkers(3)));
        assertThrows(FlowAbortedException.class,
                () -> Runner.runCluster(p -> counting(source, got), 2, options.withWorkers(1)));
        Runner.run(counting(source, got), options.withWorkers(5));
        assertEquals(finals(want.items()), finals(got.items()));
        // Replays repeat counts but never skip one: every key's counts reach 1, 2, ... its final count.
        Map<String, java.util.Set<Long>> seen = new TreeMap<>();
        got.items().forEach(kv -> seen.computeIfAbsent(kv.key(), k -> new java.util.TreeSet<>()).add(kv.value()));
        seen.forEach((k, counts) -> assertEquals(counts.size(), counts.stream().mapToLong(Long::longValue).max().getAsLong(), k));
    }
}
