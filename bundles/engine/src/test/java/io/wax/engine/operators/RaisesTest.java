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

/** raises: fails the flow on any item. */
class RaisesTest {
    @Test
    void failsOnFirstItem() {
        Exception e = assertThrows(RuntimeException.class, () -> Flows.outputs(2, flow -> {
            Stream<Integer> s = flow.input("inp", source(List.of(7), 1));
            s.raises("boom");
            return s;
        }));
        assertTrue(e.getMessage().contains("test.boom"), e.getMessage());
    }

    @Test
    void emptyStreamIsFine() {
        assertOutputs(List.of(1), flow -> {
            Stream<Integer> s = flow.input("inp", source(List.of(1), 1));
            s.filter("none", x -> false).raises("boom");
            return s;
        });
    }
}
