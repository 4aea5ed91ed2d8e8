package io.wax.engine;

import io.wax.spi.engine.RunOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.io.DynamicSink;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.StatelessSourcePartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A fast unbounded source feeding a slow sink across workers: the source must be held back so
 * that items in flight stay under the inbox bound (plus what one poll can add), whatever the
 * epoch length. The long soak in a 256 MB heap is {@code io.wax.bench.Soak}; this checks the bound.
 */
class BackpressureTest {
    private static final int BATCH = 100;
    private static final int BOUND = 2_000;
    private static final long TARGET = 60_000;

    @Test
    void inFlightItemsStayBounded() {
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicLong worst = new AtomicLong();
        AtomicBoolean enough = new AtomicBoolean();

        DynamicSource<Long> fast = ctx -> new StatelessSourcePartition<>() {
            @Override
            public List<Long> nextBatch() {
                if (enough.get()) {
                    return null;
                }
                List<Long> b = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    b.add(produced.incrementAndGet());
                }
                return b;
            }
        };
        DynamicSink<Long> slow = ctx -> new StatelessSinkPartition<>() {
            @Override
            public void writeBatch(List<Long> items) {
                LockSupport.parkNanos(100_000); // a slow sink: 100 us per batch
                long done = consumed.addAndGet(items.size());
                worst.accumulateAndGet(produced.get() - done, Math::max);
                if (done >= TARGET) {
                    enough.set(true);
                }
            }
        };
        Dataflow flow = new Dataflow("bp");
        // Redistribute moves most items between threads, through the bounded inboxes.
        flow.input("inp", fast).redistribute("spread").output("out", slow);
        Runner.run(flow, RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofHours(1)).withMaxInFlight(BOUND));

        assertEquals(produced.get(), consumed.get(), "every produced item reached the sink");
        // Each of the 2 workers may be mid-batch on top of a full inbox each.
        long limit = 2L * BOUND + 4L * BATCH;
        assertTrue(worst.get() <= limit, "in flight reached " + worst.get() + ", above " + limit);
    }
}
