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

/** flat_map: zero or more items per item. */
class FlatMapTest {
    @Test
    void splitsWords() {
        assertOutputs(List.of("a", "b", "c", "a"), flow -> flow.<String>input("inp", source(List.of("a b", "", "c a"), 2))
                .flatMap("split", s -> s.isEmpty() ? List.of() : Arrays.asList(s.split(" "))));
    }
}
