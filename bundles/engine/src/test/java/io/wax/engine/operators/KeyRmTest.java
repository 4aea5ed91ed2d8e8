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

/** key_rm: drops the keys. */
class KeyRmTest {
    @Test
    void dropsKeys() {
        assertOutputs(List.of(1, 2), flow -> flow.<Integer>input("inp", source(List.of(1, 2), 2)).keyOn("key", String::valueOf).keyRm("unkey"));
    }
}
