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

/** inspect_debug: sees each item with its epoch and worker. */
class InspectDebugTest {
    @Test
    void seesStepEpochAndWorker() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            List<Integer> out = Flows.outputs(w, flow -> flow.<Integer>input("inp", source(range(6), 3))
                    .inspectDebug("dbg", (step, x, epoch, worker) -> {
                        assertTrue(epoch >= 1, "epochs start at 1");
                        assertTrue(worker >= 0 && worker < w.total(), "worker " + worker);
                        seen.add(step + " " + x);
                    }));
            assertEquals(Flows.multiset(range(6)), Flows.multiset(out));
            assertEquals(6, seen.size());
            assertTrue(seen.stream().allMatch(s -> s.startsWith("test.dbg ")), seen.toString());
        }
    }
}
