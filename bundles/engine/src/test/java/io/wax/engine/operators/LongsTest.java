package io.wax.engine.operators;

import static io.wax.engine.testkit.Flows.assertOutputs;
import static io.wax.engine.testkit.Flows.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.LongBatch;
import io.wax.api.Longs;
import io.wax.api.Stream;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.spi.engine.FlowFailedException;
import io.wax.engine.testkit.Flows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Longs.map and Longs.filter: unboxed operators, on LongBatch and on ordinary batches alike. */
class LongsTest {
    /** 0..n-1 in LongBatches of 7, over 3 partitions. */
    record Numbers(long n) implements PartitionedSource<Long, Long> {
        @Override
        public List<String> listParts() {
            return List.of("0", "1", "2");
        }

        @Override
        public SourcePartition<Long, Long> buildPart(WorkerContext ctx, String part, Long resume) {
            int p = Integer.parseInt(part);
            return new SourcePartition<>() {
                long next = resume == null ? p : resume;

                @Override
                public List<Long> nextBatch() {
                    if (next >= n) {
                        return null;
                    }
                    LongBatch b = new LongBatch(7);
                    for (int i = 0; i < 7 && next < n; i++, next += 3) {
                        b.add(next);
                    }
                    return b;
                }

                @Override
                public Long snapshot() {
                    return next;
                }
            };
        }
    }

    private static List<Long> expected(long n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            if ((i * 3) % 2 == 0) {
                out.add(i * 3);
            }
        }
        return out;
    }

    @Test
    void mapsAndFiltersLongBatchesWithoutBoxingTheOutput() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            List<Boolean> primitive = Collections.synchronizedList(new ArrayList<>());
            List<Long> out = Flows.outputs(w, flow -> {
                Stream<Long> in = flow.input("inp", new Numbers(100));
                Stream<Long> evens = Longs.filter("even", Longs.map("triple", in, x -> x * 3), x -> (x & 1) == 0);
                return evens.flatMapBatch("seen", batch -> {
                    primitive.add(batch instanceof LongBatch);
                    return batch;
                });
            });
            assertEquals(Flows.multiset(expected(100)), Flows.multiset(out), "with " + w);
            assertTrue(!primitive.isEmpty() && primitive.stream().allMatch(b -> b), "batches stay LongBatches");
        }
    }

    @Test
    void acceptsOrdinaryBatchesOfLongs() {
        List<Long> in = List.of(1L, 2L, 3L, 4L);
        assertOutputs(List.of(4L, 8L), flow -> Longs.filter("big", Longs.map("double", flow.input("inp", source(in, 2)), x -> x * 2),
                x -> x > 3 && x % 4 == 0));
    }

    @Test
    void stepsNestAndErrorsNameThem() {
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Flows.outputs(1,
                flow -> Longs.map("divide", flow.input("inp", new Numbers(3)), x -> 10 / x)));
        assertEquals("test.divide.flat_map_batch", e.stepId());
        assertTrue(e.getCause() instanceof ArithmeticException);
    }

    @Test
    void longBatchIsAListOfLongs() {
        LongBatch b = LongBatch.of(5, 6, 7);
        assertEquals(List.of(5L, 6L, 7L), b);
        assertEquals(7L, b.getLong(2));
        assertThrows(IndexOutOfBoundsException.class, () -> b.getLong(3));
    }
}
