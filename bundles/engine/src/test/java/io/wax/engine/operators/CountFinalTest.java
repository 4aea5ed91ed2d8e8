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

/** count_final: counts items per key, emitting at EOF. */
class CountFinalTest {
    @Test
    void countsWords() {
        assertKeyedOutputs(List.of(KV.of("a", 3L), KV.of("b", 1L)),
                flow -> flow.<String>input("inp", source(List.of("a", "b", "a", "a"), 3)).countFinal("count", w -> w));
    }
}
