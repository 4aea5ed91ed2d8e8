package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.Stream;
import io.wax.api.io.AsyncBatcher;
import io.wax.api.io.Batching;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SimplePollingSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import io.wax.spi.engine.Run;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bytewax's input helpers and the helpers around operators: polling, batching, map_dict_value, the TTL cache. */
class InputHelpersTest {
    /** A clock a test sets, as Bytewax's tests pass a {@code _now_getter}. */
    static final class SetClock extends Clock {
        volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static final Instant ALIGN = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration TEN_S = Duration.ofSeconds(10);

    /**
     * Bytewax's SimplePollingSource with {@code align_to=2024-01-01T00:00:00Z}, interval 10 s: at
     * 00:00:25 the first poll is at 00:00:30, at 00:00:20 at once; then every interval after the
     * last planned poll; {@code Retry(5 s)} polls again 5 s after now; {@code None} emits nothing.
     */
    @Test
    void simplePollingSourceAlignsAndRetries() throws Exception {
        SetClock clock = new SetClock(ALIGN.plusSeconds(25));
        List<Object> answers = new ArrayList<>(List.of("x", "retry", "none", "y"));
        SimplePollingSource.Poller<String> poller = () -> {
            Object a = answers.remove(0);
            if (a.equals("retry")) {
                throw new SimplePollingSource.Retry(Duration.ofSeconds(5));
            }
            return a.equals("none") ? null : (String) a;
        };
        SourcePartition<String, Object> p = new SimplePollingSource<>(TEN_S, ALIGN, poller, clock).buildPart(null, "singleton", null);
        assertEquals(ALIGN.plusSeconds(30), p.nextAwake());
        assertEquals(List.of("x"), p.nextBatch());
        assertEquals(ALIGN.plusSeconds(40), p.nextAwake());
        clock.now = ALIGN.plusSeconds(41);
        assertEquals(List.of(), p.nextBatch());
        assertEquals(ALIGN.plusSeconds(46), p.nextAwake(), "retry: 5 s after now");
        assertEquals(List.of(), p.nextBatch(), "None: nothing this time");
        assertEquals(List.of("y"), p.nextBatch());
        assertNull(p.snapshot());

        clock.now = ALIGN.plusSeconds(20);
        assertEquals(ALIGN.plusSeconds(20), new SimplePollingSource<>(TEN_S, ALIGN, poller, clock).buildPart(null, "singleton", null)
                .nextAwake(), "exactly on a mark: at once");
        assertEquals(clock.now, new SimplePollingSource<>(TEN_S, null, poller, clock).buildPart(null, "singleton", null)
                .nextAwake(), "no align_to: at once");
    }

    /** Polling in a run: a counter polled every 2 ms (after one retry) until the run is stopped. */
    @Test
    void simplePollingSourceInARun() throws Exception {
        for (int w : new int[] {1, 3}) {
            AtomicInteger polls = new AtomicInteger();
            CountDownLatch five = new CountDownLatch(5);
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            Dataflow flow = new Dataflow("poll");
            flow.input("inp", new SimplePollingSource<>(Duration.ofMillis(2), () -> {
                if (polls.getAndIncrement() == 0) {
                    throw new SimplePollingSource.Retry(Duration.ofMillis(1));
                }
                return polls.get() - 1;
            })).inspect("count", (s, x) -> {
                seen.add(x);
                five.countDown();
            });
            Run run = Runner.start(flow, Flows.options(w));
            assertTrue(five.await(10, TimeUnit.SECONDS), "five polls within 10 s");
            run.stop();
            run.await();
            assertEquals(Flows.range(seen.size() + 1).subList(1, seen.size() + 1), seen, "1, 2, 3, ... with " + w + " worker(s)");
        }
    }

    /** Bytewax's {@code batch(range(7), 3)} and {@code batch_getter}: [[0, 1, 2], [3, 4, 5], [6]]; a getter's None ends a batch. */
    @Test
    void batchingByCount() {
        Iterator<List<Integer>> it = Batching.batch(Flows.range(7).iterator(), 3);
        List<List<Integer>> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6)), got);

        Iterator<Integer> src = java.util.Arrays.asList(1, 2, 3, null, 4, 5, null).iterator();
        Supplier<List<Integer>> batches = Batching.batchGetter(src::next, 2, null);
        assertEquals(List.of(1, 2), batches.get());
        assertEquals(List.of(3), batches.get());
        assertEquals(List.of(4, 5), batches.get());
        assertEquals(List.of(), batches.get());
    }

    /** Bytewax's {@code batch_async}: a batch is ready at its size or when its first item is {@code timeout} old. */
    @Test
    void asyncBatcherBatchesBySizeAndTimeout() throws Exception {
        AsyncBatcher<Integer> b = new AsyncBatcher<>(4, Duration.ofMillis(30), null);
        assertEquals(List.of(), b.nextBatch());
        for (int i = 0; i < 6; i++) {
            b.offer(i);
        }
        assertEquals(List.of(0, 1, 2, 3), b.nextBatch(), "full");
        assertEquals(List.of(), b.nextBatch(), "two items, not yet timed out");
        Instant due = b.nextAwake();
        while (Instant.now().isBefore(due)) {
            Thread.onSpinWait(); // time must pass for a timeout: nothing to wait on
        }
        assertEquals(List.of(4, 5), b.nextBatch(), "timed out");
        b.end();
        assertNull(b.nextBatch());
    }

    /** A source fed by a blocking producer thread (a queue's take), batched by size and timeout, in a run. */
    @Test
    void asyncBatcherFromABlockingProducerInARun() {
        for (int w : new int[] {1, 3}) {
            LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
            PartitionedSource<Integer, Object> src = new PartitionedSource<>() {
                @Override
                public List<String> listParts() {
                    return List.of("queue");
                }

                @Override
                public SourcePartition<Integer, Object> buildPart(WorkerContext ctx, String part, Object resume) {
                    AsyncBatcher<Integer> b = AsyncBatcher.fromBlocking(() -> {
                        int x = queue.take();
                        return x < 0 ? null : x;
                    }, 4, Duration.ofMillis(20), ctx);
                    return new SourcePartition<>() {
                        public List<Integer> nextBatch() throws Exception {
                            return b.nextBatch();
                        }

                        public Instant nextAwake() {
                            return b.nextAwake();
                        }

                        public Object snapshot() {
                            return null;
                        }

                        public void close() throws Exception {
                            b.close();
                        }
                    };
                }
            };
            for (int i = 0; i < 10; i++) {
                queue.add(i);
            }
            queue.add(-1);
            TestingSink<Integer> out = new TestingSink<>();
            Dataflow flow = new Dataflow("async");
            flow.input("inp", src).output("out", out);
            Runner.run(flow, Flows.options(w));
            assertEquals(Flows.range(10), out.items(), w + " worker(s)");
        }
    }

    /** Bytewax's test_map_dict_value: {@code {"a": 1, "b": 2}} with a + 1 at key "a" gives {@code {"a": 2, "b": 2}}. */
    @Test
    void mapDictValue() {
        for (int w : new int[] {1, 3}) {
            List<Map<String, Integer>> got = Flows.outputs(w, flow -> Stream.mapDictValue("add_one",
                    flow.input("inp", new TestingSource<Map<String, Integer>>(List.of(Map.of("a", 1, "b", 2)))), "a", x -> x + 1));
            assertEquals(List.of(Map.of("a", 2, "b", 2)), got, w + " worker(s)");
        }
    }

    /**
     * Bytewax's TTLCache with a set clock and a TTL of 10 s: looked up at 0 s (fetched), 5 s and
     * 10 s (cached: at most the TTL old), 11 s (fetched again). Each item sets the clock first.
     */
    @Test
    void enrichCachedWithASetClock() {
        for (int w : new int[] {1, 3}) {
            SetClock clock = new SetClock(ALIGN);
            AtomicInteger fetches = new AtomicInteger();
            List<String> got = Flows.outputs(w, flow -> flow.input("inp", new TestingSource<Integer>(List.of(0, 5, 10, 11)))
                    .enrichCached("price", k -> k + "#" + fetches.incrementAndGet(), (io.wax.api.EnrichFn<String, Integer, String>) (cache, s) -> {
                        clock.now = ALIGN.plusSeconds(s);
                        return s + ":" + cache.get("a");
                    }, TEN_S, clock));
            assertEquals(List.of("0:a#1", "5:a#1", "10:a#1", "11:a#2"), got, w + " worker(s)");
        }
    }
}
