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

/** collect: gathers values into lists by size, timeout or EOF. */
class CollectTest {
    @Test
    void listsOfMaxSizeThenTheRestAtEof() {
        List<KV<Integer>> in = List.of(KV.of("a", 1), KV.of("a", 2), KV.of("a", 3), KV.of("b", 4), KV.of("a", 5));
        assertKeyedOutputs(List.of(KV.of("a", List.of(1, 2)), KV.of("a", List.of(3, 5)), KV.of("b", List.of(4))),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(in)))
                        .collect("collect", java.time.Duration.ofHours(1), 2));
    }

    @Test
    void timeoutEmitsWithoutEof() {
        // The pause outlasts the timeout, so [1] must come out before 2 arrives.
        List<Object> in = List.of(KV.of("a", 1), io.wax.api.testing.TestingSource.pause(java.time.Duration.ofMillis(300)), KV.of("a", 2));
        assertKeyedOutputs(List.of(KV.of("a", List.of(1)), KV.of("a", List.of(2))),
                flow -> KeyedStream.of(flow.<KV<Integer>>input("inp", new io.wax.api.testing.TestingSource<>(in)))
                        .collect("collect", java.time.Duration.ofMillis(50), 10));
    }

    @Test
    void rejectsBadSizes() {
        Dataflow flow = new Dataflow("f");
        KeyedStream<Integer> s = KeyedStream.of(flow.<KV<Integer>>input("inp", source(List.of(), 1)));
        assertThrows(IllegalArgumentException.class, () -> s.collect("c", java.time.Duration.ofSeconds(1), 0));
    }
}
