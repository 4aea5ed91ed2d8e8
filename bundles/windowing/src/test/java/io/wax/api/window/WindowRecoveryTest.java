package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.KeyedStream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.api.window.WindowResult;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Window state is snapshotted per key and resumed: an aborted run and its resumption give the same results. */
class WindowRecoveryTest {
    private static List<Object> items(boolean abort) {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (abort && i == 37) {
                items.add(TestingSource.ABORT);
            }
            items.add(KV.of("k" + i % 3, new Win.Ev(i / 2, i)));
            if (i % 10 == 9) {
                // Let epochs close, so snapshots are taken mid-stream.
                items.add(TestingSource.pause(Duration.ofMillis(30)));
            }
        }
        return items;
    }

    private static void run(TestingSource<KV<Win.Ev>> source, TestingSink<KV<WindowResult<List<Win.Ev>>>> sink,
                            Flows.Topology topology, RunOptions options, Function<KeyedStream<Win.Ev>, Windowing<Win.Ev>> windowing) {
        Flows.run(topology, options, p -> {
            Dataflow flow = new Dataflow("f");
            flow.codecs().register(Win.Ev.class);
            KeyedStream<Win.Ev> in = KeyedStream.of(flow.<KV<Win.Ev>>input("inp", source));
            windowing.apply(in).collectList("collect").down().output("out", sink);
            return flow;
        });
    }

    /** Sessions with allowed lateness: the general window logic. */
    private static Windowing<Win.Ev> sessions(KeyedStream<Win.Ev> in) {
        return Windowing.of(in, Win.CLOCK, Windower.session(Win.mins(1))).allowedLateness(Win.mins(2));
    }

    /** Sliding windows without lateness, unordered: the logic that keeps windows in id order. */
    private static Windowing<Win.Ev> sliding(KeyedStream<Win.Ev> in) {
        return Windowing.of(in, Win.CLOCK, Windower.sliding(Win.mins(4), Win.mins(2), Win.min(1))).ordered(false);
    }

    /**
     * Ordered sliding windows whose clock waits 5 minutes: each key has about ten values waiting
     * for the watermark at any time, so snapshots carry them.
     */
    private static Windowing<Win.Ev> orderedSliding(KeyedStream<Win.Ev> in) {
        Clock<Win.Ev, Long> clock = Clock.eventMillis(e -> e.minute() * Win.MINUTE, Duration.ofMinutes(5));
        return Windowing.of(in, clock, Windower.sliding(Win.mins(4), Win.mins(2), Win.min(1))).ordered(true);
    }

    @Test
    void anAbortedRunResumesFromItsSnapshots() {
        resumes(WindowRecoveryTest::sessions);
    }

    @Test
    void anAbortedRunOfSlidingWindowsResumesFromItsSnapshots() {
        resumes(WindowRecoveryTest::sliding);
    }

    @Test
    void anAbortedOrderedRunResumesWithTheValuesThatWereWaiting() {
        resumes(WindowRecoveryTest::orderedSliding);
    }

    private static void resumes(Function<KeyedStream<Win.Ev>, Windowing<Win.Ev>> windowing) {
        TestingSink<KV<WindowResult<List<Win.Ev>>>> want = new TestingSink<>();
        run(new TestingSource<>(items(false), 4), want, new Flows.Topology(1, 1),
                RunOptions.defaults().withEpochInterval(Duration.ofMillis(10)), windowing);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            TestingSink<KV<WindowResult<List<Win.Ev>>>> got = new TestingSink<>();
            RunOptions options = RunOptions.defaults().withEpochInterval(Duration.ofMillis(10)).withRecovery(store);
            // One source for both runs: it remembers that its ABORT marker fired.
            TestingSource<KV<Win.Ev>> source = new TestingSource<>(items(true), 4);
            assertThrows(FlowAbortedException.class, () -> run(source, got, w, options, windowing));
            run(source, got, w, options, windowing);
            // The sink is at-least-once: results of the replayed epoch may come twice.
            assertEquals(new HashSet<>(want.items()), Set.copyOf(got.items()), "workers=" + w);
            assertEquals(want.items().size(), new HashSet<>(want.items()).size());
        }
    }
}
