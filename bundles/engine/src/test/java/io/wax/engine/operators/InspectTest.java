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

/** inspect: sees each item with the step id and passes it on. */
class InspectTest {
    @Test
    void seesEveryItemOnce() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            List<Integer> out = Flows.outputs(w, flow -> flow.<Integer>input("inp", source(range(4), 2))
                    .inspect("look", (step, x) -> seen.add(step + ":" + x)));
            assertEquals(Flows.multiset(range(4)), Flows.multiset(out));
            assertEquals(Flows.multiset(List.of("test.look:0", "test.look:1", "test.look:2", "test.look:3")), Flows.multiset(seen));
        }
    }
}
