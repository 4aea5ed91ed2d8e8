package io.wax.itests.recovering;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.window.Clock;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code windows(long n, String outDir)}: event-time 1-second tumbling counts per key over the
 * items of {@code counting} (same seekable, paced source), with a 15-second wait. Item {@code i}
 * has event time {@code i} ms, so about 10 event seconds pass per wall second and each key always
 * has some 15 windows open. Its key is {@link #key}: each key's items come from one partition, so
 * its event times only rise, however far one partition falls behind the other; the key
 * {@code tail} has items only below
 * {@link #TAIL_END}, so its last windows can only close by their timers (the watermark moves with
 * system time), long before end of input. Lines are {@code epoch key windowStartMs count}, as
 * {@code counting} writes them.
 */
@Component(service = FlowFactory.class)
public final class Windows implements FlowFactory {
    /** Items below this index may be {@code tail}'s. */
    static final long TAIL_END = 30_000;
    static final Duration LENGTH = Duration.ofSeconds(1);
    /** Longer than a kill and a restart take, so that no item is late after a resume. */
    static final Duration WAIT = Duration.ofSeconds(15);

    static String key(long i) {
        return i < TAIL_END && i % 4 == 0 ? "tail" : "k" + (i % 2);
    }

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("n", long.class), new Param("outDir", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        long n = (Long) args.get(0);
        Path out = Path.of((String) args.get(1));
        Dataflow flow = new Dataflow("windows");
        Windowing.of(flow.input("inp", new Counting.Numbers(n)).keyOn("key", Windows::key),
                        Clock.eventMillis((Long i) -> i, WAIT), Windower.tumbling(LENGTH, Instant.EPOCH))
                .count("count")
                .down()
                .map("line", kv -> kv.key() + " " + kv.value().windowId() * LENGTH.toMillis() + " " + kv.value().value())
                .output("out", new Counting.EpochFile(out));
        return flow;
    }
}
