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

/** filter_map: maps, dropping items mapped to null. */
class FilterMapTest {
    @Test
    void parsesAndDropsBadOnes() {
        assertOutputs(List.of(1, 22), flow -> flow.<String>input("inp", source(List.of("1", "x", "22", ""), 2))
                .filterMap("parse", s -> s.matches("\\d+") ? Integer.valueOf(s) : null));
    }
}
