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

/** filter_value: filters on values, keeping keys. */
class FilterValueTest {
    @Test
    void keepsPositives() {
        assertOutputs(List.of(KV.of("a", 1), KV.of("c", 3)), flow -> KeyedStream.<Integer>of(
                flow.<KV<Integer>>input("inp", source(List.of(KV.of("a", 1), KV.of("b", -2), KV.of("c", 3)), 2)))
                .filterValue("pos", x -> x > 0));
    }
}
