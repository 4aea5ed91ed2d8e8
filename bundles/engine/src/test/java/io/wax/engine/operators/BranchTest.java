package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.range;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.*;
import io.wax.api.io.*;
import io.wax.api.testing.*;
import io.wax.engine.testkit.Flows;
import java.util.*;
import org.junit.jupiter.api.Test;

/** branch: splits a stream by a predicate. */
class BranchTest {
    @Test
    void splitsEvensAndOdds() {
        assertOutputs(List.of("even 0", "odd 1", "even 2", "odd 3", "even 4"), flow -> {
            Branch<Integer> b = flow.<Integer>input("inp", source(range(5), 2)).branch("parity", x -> x % 2 == 0);
            return b.trues().map("e", x -> "even " + x).merge("both", List.of(b.falses().map("o", x -> "odd " + x)));
        });
    }
}
