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

/** input: partitioned and dynamic sources, each partition read exactly once. */
class InputTest {
    @Test
    void everyPartitionIsReadOnceWhateverTheWorkerCount() {
        assertOutputs(range(50), flow -> flow.input("inp", source(range(50), 7)));
    }

    @Test
    void dynamicSourceRunsOnEveryWorker() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            DynamicSource<String> perWorker = ctx -> new StatelessSourcePartition<>() {
                boolean done;

                @Override
                public List<String> nextBatch() {
                    if (done) {
                        return null;
                    }
                    done = true;
                    return List.of(ctx.workerIndex() + "/" + ctx.workerCount());
                }
            };
            List<String> out = Flows.outputs(w, flow -> flow.input("inp", perWorker));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < w.total(); i++) {
                expected.add(i + "/" + w.total());
            }
            assertEquals(Flows.multiset(expected), Flows.multiset(out));
        }
    }

    @Test
    void batchSizeBoundsBatches() {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        Flows.outputs(1, flow -> flow.<Integer>input("inp", new TestingSource<>(range(10), 4))
                .flatMapBatch("sizes", batch -> {
                    sizes.add(batch.size());
                    return batch;
                }));
        assertEquals(List.of(4, 4, 2), sizes);
    }

    @Test
    void eofMarkerEndsTheRun() {
        assertOutputs(List.of(1, 2), flow -> flow.input("inp", new TestingSource<Integer>(List.of(1, 2, TestingSource.EOF, 3))));
    }
}
