package io.wax.itests.live;

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
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;

/**
 * {@code livecount(long n, String outDir)}, builds v1 and v2: a running count of words over items 0 .. n-1
 * from two seekable partitions (even and odd items), paced at about 5,000 items a second per
 * partition so that a test can update bundles while it runs. Item {@code i} is the word
 * {@code w(i * 7919 % 50)}. Each worker appends {@code epoch word count build} lines to
 * {@code outDir/out-wWORKER.txt} at every epoch end. Builds 1 and 2: the state is a Long count, version 0 (none
 * declared); build 2 differs only in its marker.
 */
@Component(service = FlowFactory.class)
public final class Live implements FlowFactory {
    /**
     * The marker of the build that wrote a line: {@code v} and the bundle's major version. Builds 1
     * and 2 are these same sources (live-v2 compiles them), told apart only by their version.
     */
    static final String BUILD = "v" + FrameworkUtil.getBundle(Live.class).getVersion().getMajor();
    static final int WORDS = 50;

    @Override
    public String name() {
        return "livecount";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("n", long.class), new Param("outDir", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        long n = (Long) args.get(0);
        Path out = Path.of((String) args.get(1));
        Dataflow flow = new Dataflow("livecount");
        flow.input("inp", new Numbers(n)).keyOn("key", i -> "w" + (i * 7919 % WORDS))
                .statefulMap("count", (Long seen, Long i) -> {
                    long c = seen == null ? 1 : seen + 1;
                    return Update.of(c, c);
                })
                .map("line", kv -> kv.key() + " " + kv.value() + " " + BUILD)
                .output("out", new EpochFile(out));
        return flow;
    }

    /** Items {@code p, p+2, p+4, ...} below n in partition {@code p} of two. */
    record Numbers(long n) implements PartitionedSource<Long, Long> {
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
                    return Instant.now().plusMillis(2);
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
            Path file = dir.resolve("out-w" + ctx.workerIndex() + ".txt");
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
