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

/** output: dynamic sinks on every worker; partitioned sinks get each key on its partition's owner. */
class OutputTest {
    /** A partitioned sink with two partitions that records, per partition, the values and the writer. */
    static final class Recording implements PartitionedSink<Integer, Integer> {
        final Map<String, List<Integer>> written = Collections.synchronizedMap(new TreeMap<>());
        final Map<String, Set<Integer>> writers = Collections.synchronizedMap(new TreeMap<>());
        final List<Long> epochsClosed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<String> listParts() {
            return List.of("p0", "p1");
        }

        @Override
        public SinkPartition<Integer, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            return new SinkPartition<>() {
                @Override
                public void writeBatch(List<Integer> values) {
                    written.computeIfAbsent(part, k -> Collections.synchronizedList(new ArrayList<>())).addAll(values);
                    writers.computeIfAbsent(part, k -> Collections.synchronizedSet(new HashSet<>())).add(ctx.workerIndex());
                }

                @Override
                public void epochEnd(long epoch) {
                    epochsClosed.add(epoch);
                }

                @Override
                public Integer snapshot() {
                    return 0;
                }
            };
        }
    }

    @Test
    void dynamicSinkSeesEveryItemOnce() {
        assertOutputs(range(20), flow -> flow.input("inp", source(range(20), 4)));
    }

    @Test
    void partitionedSinkRoutesByKey() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            // One sink object shared by every process of a cluster run, so it sees every partition's writer.
            Recording sink = new Recording();
            Flows.run(w, p -> {
                Dataflow flow = new Dataflow("test");
                flow.<Integer>input("inp", source(range(30), 3)).keyOn("key", x -> "k" + (x % 5)).mapValue("v", x -> x)
                        .output("out", sink);
                return flow;
            });
            List<Integer> all = new ArrayList<>();
            sink.written.values().forEach(all::addAll);
            assertEquals(Flows.multiset(range(30)), Flows.multiset(all));
            for (Set<Integer> ws : sink.writers.values()) {
                assertEquals(1, ws.size(), "a partition was written by several workers: " + sink.writers);
            }
            for (Map.Entry<String, List<Integer>> e : sink.written.entrySet()) {
                for (int x : e.getValue()) {
                    assertEquals(new Recording().partFor("k" + (x % 5), List.of("p0", "p1")), e.getKey());
                }
            }
            assertTrue(!sink.epochsClosed.isEmpty(), "sink partitions hear of closed epochs");
        }
    }
}
