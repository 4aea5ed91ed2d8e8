package io.wax.itests.live;

import io.wax.api.Dataflow;
import io.wax.api.Update;
import io.wax.api.flow.FlowFactory;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;

/**
 * {@code livewords}: W2's shape without end, for the live-update benchmark and leak check: words
 * of a 10,000-word vocabulary from two seekable partitions at full speed, keyed by word, a running
 * count per word, one output per input. The sink counts outputs and records every gap of more
 * than 20 ms between two outputs of any worker (a swap's pause) in objects kept in the system
 * properties, which outlive this bundle's revisions: {@code wax.live.outputs} (an
 * {@link AtomicLong}) and {@code wax.live.gaps} (a queue of {@code long[] {gapNanos, atNanos}}).
 */
@Component(service = FlowFactory.class)
public final class Words implements FlowFactory {
    static final int WORDS = 10_000;

    @Override
    public String name() {
        return "livewords";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("livewords");
        flow.input("inp", new Items()).keyOn("key", i -> "w" + Long.remainderUnsigned(i * 0x9E3779B97F4A7C15L, WORDS))
                .statefulMap("count", (Long seen, Long i) -> {
                    long c = seen == null ? 1 : seen + 1;
                    return Update.of(c, c);
                })
                .output("out", new Gaps());
        return flow;
    }

    /** Items p, p+2, ... for ever in partition p of two; the position is the snapshot. */
    record Items() implements PartitionedSource<Long, Long> {
        @Override
        public List<String> listParts() {
            return List.of("0", "1");
        }

        @Override
        public SourcePartition<Long, Long> buildPart(WorkerContext ctx, String part, Long resume) {
            long first = Long.parseLong(part);
            return new SourcePartition<>() {
                long next = resume == null ? first : resume;

                @Override
                public List<Long> nextBatch() {
                    List<Long> batch = new ArrayList<>(1000);
                    for (int k = 0; k < 1000; k++, next += 2) {
                        batch.add(next);
                    }
                    return batch;
                }

                @Override
                public Long snapshot() {
                    return next;
                }
            };
        }
    }

    record Gaps() implements DynamicSink<Object> {
        @SuppressWarnings("unchecked")
        static <T> T shared(String name, java.util.function.Supplier<T> make) {
            synchronized (System.getProperties()) {
                Object o = System.getProperties().get(name);
                if (o == null) {
                    o = make.get();
                    System.getProperties().put(name, o);
                }
                return (T) o;
            }
        }

        @Override
        public StatelessSinkPartition<Object> build(WorkerContext ctx) {
            AtomicLong outputs = shared("wax.live.outputs", AtomicLong::new);
            AtomicLong last = shared("wax.live.last", AtomicLong::new);
            ConcurrentLinkedQueue<long[]> gaps = shared("wax.live.gaps", ConcurrentLinkedQueue::new);
            return items -> {
                long now = System.nanoTime();
                long before = last.getAndSet(now);
                if (before != 0 && now - before > 20_000_000L) {
                    gaps.add(new long[] {now - before, now});
                }
                outputs.addAndGet(items.size());
            };
        }
    }
}
