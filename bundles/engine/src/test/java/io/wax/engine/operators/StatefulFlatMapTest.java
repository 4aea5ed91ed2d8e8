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

/** stateful_flat_map: zero or more items per value, with state. */
class StatefulFlatMapTest {
    @Test
    void emitsEveryOtherValue() {
        List<KV<Integer>> in = List.of(KV.of("a", 1), KV.of("a", 2), KV.of("a", 3), KV.of("b", 7), KV.of("b", 8));
        assertKeyedOutputs(List.of(KV.of("a", 2), KV.of("b", 8)),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(in, 2)))
                        .statefulFlatMap("pairs", (Integer held, Integer v) ->
                                held == null ? Update.of(v, List.<Integer>of()) : Update.of(null, List.of(v))));
    }
}
