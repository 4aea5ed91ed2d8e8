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

/** flat_map_value: zero or more values per value, keeping keys. */
class FlatMapValueTest {
    @Test
    void repeats() {
        assertOutputs(List.of(KV.of("a", 2), KV.of("a", 2), KV.of("c", 1)), flow -> KeyedStream.<Integer>of(
                flow.<KV<Integer>>input("inp", source(List.of(KV.of("a", 2), KV.of("b", 0), KV.of("c", 1)), 2)))
                .flatMapValue("rep", x -> Collections.nCopies(x, x)));
    }
}
