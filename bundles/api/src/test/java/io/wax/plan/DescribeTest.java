package io.wax.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Describe renders a plan as JSON and Mermaid. */
class DescribeTest {
    private static Plan simple() {
        Dataflow flow = new Dataflow("simple");
        flow.input("inp", new TestingSource<Integer>(List.of(0, 1, 2))).map("add_one", x -> x + 1).output("out", new TestingSink<>());
        return Plans.of(flow);
    }

    @Test
    void json() {
        assertEquals("""
                {
                  "flow": "simple",
                  "steps": [
                    {"id": "simple.inp", "kind": "input", "ups": [], "downs": ["simple.inp.down"]},
                    {"id": "simple.add_one.flat_map_batch", "kind": "flat_map_batch", "ups": ["simple.inp.down"], "downs": ["simple.add_one.flat_map_batch.down"]},
                    {"id": "simple.out", "kind": "output", "ups": ["simple.add_one.flat_map_batch.down"], "downs": []}
                  ],
                  "scopes": [
                    {"id": "simple.add_one", "operator": "map"}
                  ]
                }
                """, Describe.json(simple()));
    }

    @Test
    void mermaid() {
        assertEquals("""
                flowchart TD
                    s0["simple.inp (input)"]
                    s1["simple.add_one.flat_map_batch (flat_map_batch)"]
                    s2["simple.out (output)"]
                    s0 -->|down| s1
                    s1 -->|down| s2
                """, Describe.mermaid(simple()));
    }
}
