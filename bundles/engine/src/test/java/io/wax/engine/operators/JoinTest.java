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

/** join: by key across streams, with insert and emit modes. */
class JoinTest {
    static KeyedStream<Object> side(Dataflow flow, String id, List<KV<Object>> items) {
        return KeyedStream.of(flow.<KV<Object>>input(id, new io.wax.api.testing.TestingSource<>(items)));
    }

    static List<KV<List<Object>>> run(JoinInsert insert, JoinEmit emit, List<KV<Object>> left, List<KV<Object>> right,
                                      List<KV<List<Object>>> expected) {
        assertKeyedOutputs(expected, flow -> side(flow, "left", left).join("join", insert, emit, List.of(side(flow, "right", right))));
        return expected;
    }

    static List<Object> row(Object... xs) {
        return Arrays.asList(xs);
    }

    @Test
    void completeEmitsOnceBothSidesHaveAValue() {
        run(JoinInsert.LAST, JoinEmit.COMPLETE, List.of(KV.of("a", 1), KV.of("b", 2)), List.of(KV.of("a", "x")),
                List.of(KV.of("a", row(1, "x"))));
    }

    @Test
    void finalEmitsAtEofWithMissingSides() {
        run(JoinInsert.LAST, JoinEmit.FINAL, List.of(KV.of("a", 1), KV.of("a", 3), KV.of("b", 2)), List.of(KV.of("a", "x")),
                List.of(KV.of("a", row(3, "x")), KV.of("b", row(2, null))));
    }

    @Test
    void firstKeepsTheFirstValue() {
        run(JoinInsert.FIRST, JoinEmit.FINAL, List.of(KV.of("a", 1), KV.of("a", 3)), List.of(KV.of("a", "x"), KV.of("a", "y")),
                List.of(KV.of("a", row(1, "x"))));
    }

    @Test
    void productEmitsEveryCombination() {
        run(JoinInsert.PRODUCT, JoinEmit.FINAL, List.of(KV.of("a", 1), KV.of("a", 2)), List.of(KV.of("a", "x"), KV.of("a", "y")),
                List.of(KV.of("a", row(1, "x")), KV.of("a", row(1, "y")), KV.of("a", row(2, "x")), KV.of("a", row(2, "y"))));
    }

    @Test
    void runningEmitsAfterEveryValue() {
        // How the sides interleave varies, but every interleaving emits three rows and ends with
        // both sides' last values.
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            List<KV<List<Object>>> got = Flows.outputs(w, flow -> side(flow, "left", List.of(KV.of("a", 1), KV.of("a", 2)))
                    .join("join", JoinInsert.LAST, JoinEmit.RUNNING, List.of(side(flow, "right", List.of(KV.of("a", "x"))))));
            assertEquals(3, got.size(), got.toString());
            assertEquals(row(2, "x"), got.get(2).value(), got.toString());
        }
    }
}
