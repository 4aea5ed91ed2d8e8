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

/** key_on: keys each item. */
class KeyOnTest {
    @Test
    void keysByFirstLetter() {
        assertOutputs(List.of(KV.of("a", "apple"), KV.of("b", "banana"), KV.of("a", "avocado")),
                flow -> flow.<String>input("inp", source(List.of("apple", "banana", "avocado"), 2)).keyOn("key", s -> s.substring(0, 1)));
    }

    @Test
    void nullKeyFailsWithAClearError() {
        Exception e = assertThrows(RuntimeException.class, () -> Flows.outputs(1,
                flow -> flow.<String>input("inp", source(List.of("x"), 1)).keyOn("key", s -> null)));
        assertTrue(e.getMessage().contains("test.key.flat_map_batch"), e.getMessage());
        assertTrue(e.getCause().getMessage().contains("non-null String key"), e.getCause().getMessage());
    }
}
