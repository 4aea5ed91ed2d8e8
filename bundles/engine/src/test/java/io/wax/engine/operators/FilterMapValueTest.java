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

/** filter_map_value: maps values, dropping those mapped to null. */
class FilterMapValueTest {
    @Test
    void halvesEvens() {
        assertOutputs(List.of(KV.of("b", 1), KV.of("d", 2)), flow -> KeyedStream.<Integer>of(
                flow.<KV<Integer>>input("inp", source(List.of(KV.of("a", 1), KV.of("b", 2), KV.of("c", 3), KV.of("d", 4)), 2)))
                .filterMapValue("half", x -> x % 2 == 0 ? x / 2 : null));
    }
}
