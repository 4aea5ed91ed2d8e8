package io.wax.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.engine.Assignment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's deal of Kafka partitions ({@code topic-N}) to workers: every one owned once, evenly. */
class PartitionAssignmentTest {
    @Test
    void everyPartitionHasOneOwnerAndOwnersAreEven() {
        for (int parts = 1; parts <= 8; parts++) {
            List<String> names = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                names.add("events-" + p);
            }
            for (int workers = 1; workers <= 4; workers++) {
                String what = parts + " partitions, " + workers + " workers";
                int[] owners = Assignment.owners("flow.inp", names, workers);
                assertArrayEquals(owners, Assignment.owners("flow.inp", new ArrayList<>(names), workers),
                        "deterministic: " + what);
                int[] counts = new int[workers];
                for (int o : owners) {
                    assertTrue(o >= 0 && o < workers, what);
                    counts[o]++;
                }
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int c : counts) {
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
                assertTrue(max - min <= 1, "even: " + what);
                Set<String> seen = new HashSet<>();
                for (int w = 0; w < workers; w++) {
                    for (String p : Assignment.partsOf("flow.inp", names, w, workers)) {
                        assertTrue(seen.add(p), p + " owned twice: " + what);
                    }
                }
                assertEquals(new HashSet<>(names), seen, "all owned: " + what);
                if (parts >= workers) {
                    assertEquals(workers, (int) java.util.Arrays.stream(counts).filter(c -> c > 0).count(),
                            "every worker reads: " + what);
                }
            }
        }
    }
}
