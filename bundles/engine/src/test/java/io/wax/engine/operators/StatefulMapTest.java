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

/** stateful_map: a running value per key; a null state discards the key. */
class StatefulMapTest {
    @Test
    void runningSum() {
        List<KV<Integer>> in = List.of(KV.of("a", 1), KV.of("b", 10), KV.of("a", 2), KV.of("a", 3), KV.of("b", 20));
        assertKeyedOutputs(List.of(KV.of("a", 1), KV.of("a", 3), KV.of("a", 6), KV.of("b", 10), KV.of("b", 30)),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(in, 2))).statefulMap("sum", (Integer s, Integer v) -> {
                    int n = (s == null ? 0 : s) + v;
                    return Update.of(n, n);
                }));
    }

    @Test
    void nullStateStartsAgain() {
        // Resets the sum whenever it passes 3.
        List<KV<Integer>> in = List.of(KV.of("a", 2), KV.of("a", 2), KV.of("a", 1), KV.of("a", 1));
        assertKeyedOutputs(List.of(KV.of("a", 2), KV.of("a", 4), KV.of("a", 1), KV.of("a", 2)),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(in, 3)))
                        .statefulMap("sum", (Integer s, Integer v) -> {
                            int n = (s == null ? 0 : s) + v;
                            return Update.of(n > 3 ? null : n, n);
                        }));
    }
}
