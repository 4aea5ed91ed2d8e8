package io.wax.itests.recovering;

import io.wax.api.Dataflow;
import io.wax.api.Update;
import io.wax.api.flow.FlowFactory;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code counting(long n, String outDir)}: a running wordcount over items 0 .. n-1 from two
 * seekable partitions (even and odd items; the position is the snapshot), paced at about 5,000
 * items a second per partition so that a test can kill it mid-run. Item {@code i} is the word
 * {@code w(i * 7919 % 50)}. With {@code WAX_TEST_UNPACED=1} in its environment it runs at full
 * speed instead: a test's last, uninterrupted run need not wait. Each worker appends {@code epoch word count} lines to
 * {@code outDir/out-PID-wWORKER.txt} at every epoch end, so a test can drop the epochs a resumed
 * run replays.
 */
@Component(service = FlowFactory.class)
public final class Counting implements FlowFactory {
    static final int WORDS = 50;

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("n", long.class), new Param("outDir", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        long n = (Long) args.get(0);
        Path out = Path.of((String) args.get(1));
        Dataflow flow = new Dataflow("counting");
        flow.input("inp", new Numbers(n)).keyOn("key", i -> "w" + (i * 7919 % WORDS))
                .statefulMap("count", (Long seen, Long i) -> {
                    long c = seen == null ? 1 : seen + 1;
                    return Update.of(c, c);
                })
                .map("line", kv -> kv.key() + " " + kv.value())
                .output("out", new EpochFile(out));
        return flow;
    }

    /** Whether sources are paced: unless the environment says {@code WAX_TEST_UNPACED=1}. */
    static boolean pacedByEnvironment() {
        return !"1".equals(System.getenv("WAX_TEST_UNPACED"));
    }

    /** Items {@code p, p+2, p+4, ...} below n in partition {@code p} of two; paced or not. */
    record Numbers(long n, boolean paced) implements PartitionedSource<Long, Long> {
        Numbers(long n) {
            this(n, pacedByEnvironment());
        }

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
                    if (next >= n) {
                        return null;
                    }
                    List<Long> batch = new ArrayList<>();
                    for (int k = 0; k < 10 && next < n; k++, next += 2) {
                        batch.add(next);
                    }
                    return batch;
                }

                @Override
                public Instant nextAwake() {
                    return paced ? Instant.now().plusMillis(2) : null;
                }

                @Override
                public Long snapshot() {
                    return next;
                }
            };
        }
    }

    /** Appends each epoch's lines, prefixed by the epoch, when the epoch ends. */
    record EpochFile(Path dir) implements DynamicSink<String> {
        @Override
        public StatelessSinkPartition<String> build(WorkerContext ctx) throws Exception {
            Path file = dir.resolve("out-" + ProcessHandle.current().pid() + "-w" + ctx.workerIndex() + ".txt");
            FileOutputStream out = new FileOutputStream(file.toFile(), true);
            return new StatelessSinkPartition<>() {
                final List<String> pending = new ArrayList<>();

                @Override
                public void writeBatch(List<String> items) {
                    pending.addAll(items);
                }

                @Override
                public void epochEnd(long epoch) throws Exception {
                    StringBuilder b = new StringBuilder();
                    for (String line : pending) {
                        b.append(epoch).append(' ').append(line).append('\n');
                    }
                    pending.clear();
                    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void close() throws Exception {
                    out.close();
                }
            };
        }
    }
}
