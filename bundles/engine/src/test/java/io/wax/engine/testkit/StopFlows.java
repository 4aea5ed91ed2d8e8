package io.wax.engine.testkit;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pieces of the graceful-stop tests, in one process and in a cluster: a source whose items a
 * test releases, a sink that records epoch ends, and a running count over them.
 */
public final class StopFlows {
    private StopFlows() {
    }

    /**
     * {@code parts} partitions reading one list round-robin (partition i reads items i, i + parts,
     * ...); the test releases items with {@link #release} and ends the partitions with {@link #end}.
     * A partition's snapshot is the index it reads next. The partitions that workers {@code endAt}
     * and above own end once they have read what is released ({@code Integer.MAX_VALUE}: none do).
     */
    public static final class GatedSource implements PartitionedSource<String, Integer> {
        private final List<String> items;
        private final int parts;
        private final int endAt;
        private final AtomicInteger released = new AtomicInteger();
        private final AtomicBoolean ended = new AtomicBoolean();

        public GatedSource(List<String> items, int parts, int endAt) {
            this.items = items;
            this.parts = parts;
            this.endAt = endAt;
        }

        public void release(int n) {
            released.set(n);
        }

        public void end() {
            released.set(items.size());
            ended.set(true);
        }

        @Override
        public List<String> listParts() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                names.add("p" + i);
            }
            return names;
        }

        @Override
        public SourcePartition<String, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            int first = Integer.parseInt(part.substring(1));
            boolean endsAtOnce = ctx.workerIndex() >= endAt;
            return new SourcePartition<>() {
                int next = resume == null ? first : resume;

                @Override
                public List<String> nextBatch() {
                    List<String> out = new ArrayList<>();
                    while (next < released.get()) {
                        out.add(items.get(next));
                        next += parts;
                    }
                    if (endsAtOnce) {
                        return out.isEmpty() ? null : out;
                    }
                    return out.isEmpty() && ended.get() && next >= items.size() ? null : out;
                }

                @Override
                public Integer snapshot() {
                    return next;
                }
            };
        }
    }

    /** Records every item and every epoch end, over the workers of one process. */
    public static final class EpochSink implements DynamicSink<Object> {
        public final List<Object> items = Collections.synchronizedList(new ArrayList<>());
        public final List<Long> epochEnds = Collections.synchronizedList(new ArrayList<>());

        @Override
        public StatelessSinkPartition<Object> build(WorkerContext ctx) {
            return new StatelessSinkPartition<>() {
                @Override
                public void writeBatch(List<Object> batch) {
                    items.addAll(batch);
                }

                @Override
                public void epochEnd(long epoch) {
                    epochEnds.add(epoch);
                }
            };
        }
    }

    /** A running count per word (exchanged between workers by key), and final counts at end of input. */
    public static Dataflow counting(GatedSource src, EpochSink running, TestingSink<KV<Long>> finals) {
        Dataflow flow = new Dataflow("stop");
        var keyed = flow.input("inp", src).keyOn("key", w -> w);
        keyed.statefulMap("count", (Long n, String w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                .map("show", kv -> kv.key() + "=" + kv.value()).output("running", running);
        keyed.countFinal("total", kv -> kv.key()).output("finals", finals);
        return flow;
    }
}
