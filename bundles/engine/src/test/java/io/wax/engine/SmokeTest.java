package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void simpleAndWordcount() {
        for (int w : Flows.WORKERS) {
            TestingSink<Integer> out = new TestingSink<>();
            Dataflow flow = new Dataflow("simple");
            flow.input("inp", new TestingSource<Integer>(List.of(0, 1, 2))).map("add_one", x -> x + 1).output("out", out);
            Flows.run(flow, w);
            assertEquals(Map.of(1, 1, 2, 1, 3, 1), Flows.multiset(out.items()));

            TestingSink<KV<Long>> counts = new TestingSink<>();
            Dataflow wc = new Dataflow("wc");
            wc.input("inp", new TestingSource<String>(List.of("a", "b", "a", "c", "a"), 2))
                    .keyOn("key", x -> x)
                    .statefulMap("count", (Long n, String x) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                    .output("out", counts);
            Flows.run(wc, w);
            assertEquals(Map.of(KV.of("a", 1L), 1, KV.of("a", 2L), 1, KV.of("a", 3L), 1, KV.of("b", 1L), 1,
                    KV.of("c", 1L), 1), Flows.multiset(counts.items()));
        }
    }
}
