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

/** map_value: maps values, keeping keys. */
class MapValueTest {
    @Test
    void doublesValues() {
        assertOutputs(List.of(KV.of("a", 2), KV.of("b", 4)), flow -> KeyedStream.<Integer>of(
                flow.<KV<Integer>>input("inp", source(List.of(KV.of("a", 1), KV.of("b", 2)), 2))).mapValue("double", x -> x * 2));
    }
}
