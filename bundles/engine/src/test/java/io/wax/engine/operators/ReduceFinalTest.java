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

/** reduce_final: reduces each key's values pairwise, emitting at EOF. */
class ReduceFinalTest {
    @Test
    void sums() {
        List<KV<Integer>> in = List.of(KV.of("a", 1), KV.of("b", 5), KV.of("a", 2), KV.of("a", 3));
        assertKeyedOutputs(List.of(KV.of("a", 6), KV.of("b", 5)),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", source(in, 2))).reduceFinal("sum", Integer::sum));
    }
}
