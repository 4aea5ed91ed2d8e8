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

/** redistribute: spreads items over every worker. */
class RedistributeTest {
    @Test
    void keepsEveryItemAndUsesEveryWorker() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Set<Integer> workers = Collections.synchronizedSet(new HashSet<>());
            List<Integer> out = Flows.outputs(w, flow -> flow.<Integer>input("inp", new TestingSource<>(range(60), 10))
                    .redistribute("spread")
                    .inspectDebug("where", (step, x, epoch, worker) -> workers.add(worker)));
            assertEquals(Flows.multiset(range(60)), Flows.multiset(out));
            assertEquals(w.total(), workers.size(), "items from a single partition reached every worker");
        }
    }
}
