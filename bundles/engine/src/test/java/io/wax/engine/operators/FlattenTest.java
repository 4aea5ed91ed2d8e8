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

/** flatten: emits the elements of iterable items. */
class FlattenTest {
    @Test
    void flattensLists() {
        assertOutputs(List.of(1, 2, 3, 4), flow -> Stream.<Integer>flatten("flat",
                flow.<List<Integer>>input("inp", source(List.of(List.of(1, 2), List.of(), List.of(3, 4)), 2))));
    }
}
