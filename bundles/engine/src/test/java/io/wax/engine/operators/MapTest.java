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

/** map: one item out per item in. */
class MapTest {
    @Test
    void addsOne() {
        assertOutputs(List.of(1, 2, 3, 4, 5, 6),
                flow -> flow.<Integer>input("inp", source(range(6), 3)).map("add_one", x -> x + 1));
    }

    @Test
    void changesType() {
        assertOutputs(List.of("0", "1", "2"), flow -> flow.<Integer>input("inp", source(range(3), 2)).map("str", String::valueOf));
    }
}
