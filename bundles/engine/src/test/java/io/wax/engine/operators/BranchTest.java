package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.api.io.*;
import io.wax.api.testing.*;
import io.wax.engine.testkit.Flows;
import java.util.*;
import org.junit.jupiter.api.Test;

/** branch: splits a stream by a predicate. */
class BranchTest {
    @Test
    void splitsEvensAndOdds() {
        assertOutputs(List.of("even 0", "odd 1", "even 2", "odd 3", "even 4"), flow -> {
            Branch<Integer> b = flow.<Integer>input("inp", source(range(5), 2)).branch("parity", x -> x % 2 == 0);
            return b.trues().map("e", x -> "even " + x).merge("both", List.of(b.falses().map("o", x -> "odd " + x)));
        });
    }

    /**
     * Keyed items (a stateful step's output travels as a keyed batch) keep their keys whether a
     * batch splits or goes one way whole; a batch of one item always goes whole.
     */
    @Test
    void splitsKeyedBatchesKeepingKeysAndOrder() {
        List<KV<Integer>> in = new ArrayList<>();
        List<KV<String>> expected = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            in.add(KV.of("a", 1));
            expected.add(KV.of("a", (i % 3 == 0 ? "third " : "other ") + i));
            if (i <= 5) {
                in.add(KV.of("b", 1));
                expected.add(KV.of("b", (i % 3 == 0 ? "third " : "other ") + i));
            }
        }
        for (int batch : new int[] {1, 4, 17}) {
            Flows.assertOutputs(expected, flow -> {
                KeyedStream<Integer> counts = KeyedStream.of(flow.<KV<Integer>>input("inp", new TestingSource<>(in,
                        batch))).statefulMap("count", (Integer s, Integer v) -> {
                            int n = (s == null ? 0 : s) + v;
                            return Update.of(n, n);
                        });
                Branch<KV<Integer>> b = counts.branch("thirds", kv -> kv.value() % 3 == 0);
                KeyedStream<String> thirds = KeyedStream.of(b.trues()).mapValue("t", n -> "third " + n);
                KeyedStream<String> others = KeyedStream.of(b.falses()).mapValue("o", n -> "other " + n);
                return thirds.merge("both", List.of(others));
            });
        }
    }
}
