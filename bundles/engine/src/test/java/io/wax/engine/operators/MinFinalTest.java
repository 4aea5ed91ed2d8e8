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

/** min_final: the smallest value per key at EOF. */
class MinFinalTest {
    @Test
    void smallest() {
        List<KV<Integer>> in = List.of(KV.of("a", 3), KV.of("a", 9), KV.of("b", -1), KV.of("a", 1));
        assertKeyedOutputs(List.of(KV.of("a", 1), KV.of("b", -1)),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", source(in, 2))).minFinal("min", Comparator.naturalOrder()));
    }
}
