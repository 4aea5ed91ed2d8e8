package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.assertKeyedOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.engine.testkit.Flows;
import java.util.*;
import org.junit.jupiter.api.Test;

/** enrich_cached: looks values up through a cache. */
class EnrichCachedTest {
    @Test
    void looksUpOncePerKey() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Map<String, Integer> calls = Collections.synchronizedMap(new HashMap<>());
            List<String> out = Flows.outputs(w, flow -> flow.<String>input("inp", source(List.of("a", "b", "a", "a"), 2))
                    .enrichCached("price", (String k) -> {
                        calls.merge(k, 1, Integer::sum);
                        return k.equals("a") ? 10 : 20;
                    }, (cache, item) -> item + "=" + cache.get(item), null));
            assertEquals(Flows.multiset(List.of("a=10", "b=20", "a=10", "a=10")), Flows.multiset(out));
            // One cache per process: in a cluster each process fetches a key it sees once.
            assertEquals(Set.of("a", "b"), calls.keySet());
            calls.forEach((k, n) -> assertTrue(n <= w.processes(), k + " fetched " + n + " times by " + w));
        }
    }
}
