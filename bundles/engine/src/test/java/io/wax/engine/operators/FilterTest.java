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

/** filter: keeps what the predicate accepts. */
class FilterTest {
    @Test
    void keepsEvens() {
        assertOutputs(List.of(0, 2, 4, 6, 8), flow -> flow.<Integer>input("inp", source(range(10), 3)).filter("evens", x -> x % 2 == 0));
    }

    @Test
    void keepsEverythingOrNothing() {
        assertOutputs(range(5), flow -> flow.<Integer>input("inp", source(range(5), 2)).filter("all", x -> true));
        assertOutputs(List.of(), flow -> flow.<Integer>input("inp", source(range(5), 2)).filter("none", x -> false));
    }
}
