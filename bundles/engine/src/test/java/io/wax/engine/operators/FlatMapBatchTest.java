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

/** flat_map_batch: the user's function sees whole batches. */
class FlatMapBatchTest {
    @Test
    void seesBatchesAndMayChangeTheirSize() {
        assertOutputs(List.of(3, 3, 3, 1), flow -> flow.<Integer>input("inp", new TestingSource<>(range(10), 3))
                .flatMapBatch("sizes", batch -> List.of(batch.size())));
    }

    @Test
    void mayDuplicateAndDrop() {
        assertOutputs(List.of(1, 1, 3, 3), flow -> flow.<Integer>input("inp", source(range(4), 2))
                .<Integer>flatMapBatch("odd_twice", batch -> {
                    List<Integer> out = new ArrayList<>();
                    for (int x : batch) {
                        if (x % 2 == 1) {
                            out.add(x);
                            out.add(x);
                        }
                    }
                    return out;
                }));
    }
}
