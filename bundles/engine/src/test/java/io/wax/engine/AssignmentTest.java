package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Partition assignment is balanced, deterministic, and independent of the order parts are listed in. */
class AssignmentTest {
    private static List<String> parts(int n) {
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add("topic-" + i);
        }
        return ps;
    }

    @Test
    void balancedForManyPartitionAndWorkerCounts() {
        for (int p = 0; p <= 64; p++) {
            for (int w = 1; w <= 16; w++) {
                int[] owners = Assignment.owners("flow.inp", parts(p), w);
                int[] load = new int[w];
                for (int o : owners) {
                    assertTrue(o >= 0 && o < w);
                    load[o]++;
                }
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int l : load) {
                    min = Math.min(min, l);
                    max = Math.max(max, l);
                }
                assertTrue(max - min <= 1, p + " parts over " + w + " workers: loads differ by " + (max - min));
            }
        }
    }

    @Test
    void deterministicAndOrderIndependent() {
        Random r = new Random(42);
        for (int p = 1; p <= 32; p++) {
            List<String> ps = parts(p);
            List<String> shuffled = new ArrayList<>(ps);
            Collections.shuffle(shuffled, r);
            for (int w = 1; w <= 8; w++) {
                int[] a = Assignment.owners("flow.inp", ps, w);
                assertArrayEquals(a, Assignment.owners("flow.inp", ps, w));
                int[] b = Assignment.owners("flow.inp", shuffled, w);
                for (int i = 0; i < p; i++) {
                    assertEquals(a[i], b[shuffled.indexOf(ps.get(i))], "owner of " + ps.get(i));
                }
            }
        }
    }

    @Test
    void everyWorkerSeesADisjointShareThatCoversAll() {
        List<String> ps = parts(10);
        List<String> seen = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            seen.addAll(Assignment.partsOf("flow.inp", ps, w, 3));
        }
        Collections.sort(seen);
        List<String> sorted = new ArrayList<>(ps);
        Collections.sort(sorted);
        assertEquals(sorted, seen);
    }
}
