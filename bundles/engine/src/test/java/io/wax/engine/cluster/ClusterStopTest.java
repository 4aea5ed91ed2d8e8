package io.wax.engine.cluster;

import static io.wax.engine.testkit.StopFlows.counting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.testing.TestingSink;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.engine.internal.Execution;
import io.wax.engine.internal.Loopback;
import io.wax.engine.testkit.Flows;
import io.wax.plan.Plan;
import io.wax.plan.Plans;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.monitor.WorkerFigures;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import io.wax.engine.testkit.StopFlows.EpochSink;
import io.wax.engine.testkit.StopFlows.GatedSource;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop asked of one process of a cluster (the loopback transport, each process with its
 * own engine, workers and flow): every process stops, after the same epoch, the highest open at any
 * process's inputs; every worker commits past it, no process sees end of input, and a resumed
 * cluster continues exactly where the stopped one ended. Also when the stop reaches a process
 * before its run has started, and when one process's inputs have all ended before the stop.
 */
class ClusterStopTest {
    private static final int PROCESSES = 2;
    private static final int WORKERS = 2;

    /** The processes of one loopback cluster, formed at once and started one by one. */
    static final class Cluster implements AutoCloseable {
        final Links[] links = new Links[PROCESSES];
        final Plan[] plans = new Plan[PROCESSES];
        final Execution[] runs = new Execution[PROCESSES];
        final IntFunction<RunOptions> options;

        Cluster(IntFunction<Dataflow> build, RunOptions options) throws Exception {
            this(build, p -> options);
        }

        /** With each process's own options (their worker counts must agree). */
        Cluster(IntFunction<Dataflow> build, IntFunction<RunOptions> options) throws Exception {
            this.options = options;
            Loopback loopback = new Loopback(PROCESSES);
            List<String> addresses = Loopback.addresses(PROCESSES);
            List<Thread> forming = new ArrayList<>();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            for (int p = 0; p < PROCESSES; p++) {
                int id = p;
                plans[p] = Plans.of(build.apply(p));
                Hello hello = new Hello(Runner.PROTOCOL, p, PROCESSES, options.apply(p).workers(), plans[p].flowId(), "",
                        plans[p].fingerprint(), 0);
                Thread t = new Thread(() -> {
                    try {
                        links[id] = loopback.connect(new ClusterSpec(id, addresses, null, ClusterSpec.Security.NONE), hello);
                    } catch (Exception e) {
                        errors.add(e);
                    }
                });
                t.start();
                forming.add(t);
            }
            for (Thread t : forming) {
                t.join();
            }
            assertEquals(List.of(), errors);
        }

        Execution start(int p) {
            runs[p] = new Execution(plans[p], options.apply(p).withCluster(links[p])).start();
            return runs[p];
        }

        /** Waits for process {@code p}'s run, then closes its links, as a process that exits does. */
        void await(int p) throws InterruptedException {
            runs[p].await();
            links[p].close();
        }

        @Override
        public void close() {
            for (int p = 0; p < PROCESSES; p++) {
                if (runs[p] != null && !runs[p].done()) {
                    runs[p].abort();
                }
                if (links[p] != null) {
                    links[p].close();
                }
            }
        }
    }

    private static RunOptions options(InMemoryRecoveryStore store) {
        RunOptions o = RunOptions.defaults().withWorkers(WORKERS).withEpochInterval(Duration.ofMillis(20));
        return store == null ? o : o.withRecovery(store);
    }

    private static List<String> words() {
        return List.of("a", "b", "a", "c", "a", "b", "d", "a", "c", "b", "e", "a", "b", "c", "d", "a");
    }

    @Test
    void aStopAskedOfOneProcessStopsEveryProcessAfterTheSameEpochAndAResumedClusterContinues() throws Exception {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        GatedSource src = new GatedSource(words(), 4, Integer.MAX_VALUE);
        List<EpochSink> running = List.of(new EpochSink(), new EpochSink());
        List<TestingSink<KV<Long>>> finals = List.of(new TestingSink<>(), new TestingSink<>());
        try (Cluster c = new Cluster(p -> counting(src, running.get(p), finals.get(p)), options(store))) {
            // Process 0 starts its clock well before process 1 (a skew, not a synchronisation), so
            // their open epochs differ: process 1 is asked to stop, and the cluster must still
            // stop after process 0's later epoch.
            Execution first = c.start(0);
            Thread.sleep(300);
            Execution second = c.start(1);
            src.release(10);
            await(() -> running.get(0).items.size() + running.get(1).items.size() == 10,
                    () -> "outputs " + running.get(0).items + running.get(1).items);
            long ahead = openEpoch(first);
            assertTrue(openEpoch(second) < ahead, "process 1 at epoch " + openEpoch(second) + ", process 0 at " + ahead);
            second.stop();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                c.await(0);
                c.await(1);
            }, "a stop asked of process 1 stops both processes");
            long stop = first.stoppedAfter();
            assertEquals(stop, second.stoppedAfter(), "both processes stop after the same epoch");
            assertTrue(stop >= ahead, "the stop epoch " + stop + " is the highest open anywhere: process 0 was at " + ahead);
            for (int p = 0; p < PROCESSES; p++) {
                List<Long> ends = new ArrayList<>(running.get(p).epochEnds);
                assertTrue(ends.contains(stop), "process " + p + "'s sink saw the stop epoch end: " + ends);
                assertTrue(ends.stream().allMatch(e -> e <= stop), "process " + p + " closed nothing past the stop epoch: " + ends);
                assertEquals(List.of(), finals.get(p).items(), "no end of input, so no final counts");
            }
            assertEquals(stop + 1, store.lowestFrontier(), "every worker of both processes committed past the stop epoch");
        }
        List<Object> before = new ArrayList<>(running.get(0).items);
        before.addAll(running.get(1).items);
        assertEquals(List.of("a=1", "a=2", "a=3", "a=4", "b=1", "b=2", "b=3", "c=1", "c=2", "d=1"), sorted(before));

        // Resumed with the rest of the items: the counts go on from the snapshots, nothing twice.
        List<EpochSink> more = List.of(new EpochSink(), new EpochSink());
        src.end();
        Runner.runCluster(p -> counting(src, more.get(p), finals.get(p)), PROCESSES, options(store));
        List<Object> after = new ArrayList<>(more.get(0).items);
        after.addAll(more.get(1).items);
        assertEquals(List.of("a=5", "a=6", "b=4", "c=3", "d=2", "e=1"), sorted(after));
        List<KV<Long>> totals = new ArrayList<>(finals.get(0).items());
        totals.addAll(finals.get(1).items());
        assertEquals(Map.of("a", List.of(6L), "b", List.of(4L), "c", List.of(3L), "d", List.of(2L), "e", List.of(1L)),
                Flows.byKey(totals));
    }

    @Test
    void aStopThatReachesAProcessBeforeItsRunStartedStopsItToo() throws Exception {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        GatedSource src = new GatedSource(words(), 4, Integer.MAX_VALUE);
        List<EpochSink> running = List.of(new EpochSink(), new EpochSink());
        List<TestingSink<KV<Long>>> finals = List.of(new TestingSink<>(), new TestingSink<>());
        try (Cluster c = new Cluster(p -> counting(src, running.get(p), finals.get(p)), options(store))) {
            src.release(6);
            Execution first = c.start(0);
            first.stop(); // process 1 has formed the cluster but not started its run yet
            Execution second = c.start(1);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                c.await(0);
                c.await(1);
            }, "the stop reaches process 1 when it starts");
            assertEquals(first.stoppedAfter(), second.stoppedAfter(), "both processes stop after the same epoch");
            assertTrue(first.stoppedAfter() >= 1, "stopped after " + first.stoppedAfter());
            assertEquals(first.stoppedAfter() + 1, store.lowestFrontier());
        }
    }

    /**
     * A swap stop asked of one process (its transport or flow bundle is being updated) stops every
     * process after the same epoch, as a plain stop does, but tells the others that it is a swap,
     * naming the swapping process and its cause, so that they form the cluster again instead of
     * exiting; a resumed cluster continues exactly after it. A plain stop tells nobody of a swap.
     */
    @Test
    void aSwapStopIsToldApartFromAClusterStop() throws Exception {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        GatedSource src = new GatedSource(words(), 4, Integer.MAX_VALUE);
        List<EpochSink> running = List.of(new EpochSink(), new EpochSink());
        List<TestingSink<KV<Long>>> finals = List.of(new TestingSink<>(), new TestingSink<>());
        try (Cluster c = new Cluster(p -> counting(src, running.get(p), finals.get(p)), options(store))) {
            Execution first = c.start(0);
            Execution second = c.start(1);
            src.release(10);
            await(() -> running.get(0).items.size() + running.get(1).items.size() == 10,
                    () -> "outputs " + running.get(0).items + running.get(1).items);
            first.stopForSwap("the transport bundle io.wax.transport.grpc 0.1.0 is being updated");
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                c.await(0);
                c.await(1);
            }, "a swap stop of process 0 stops both processes");
            assertTrue(first.stoppedAfter() >= 1, "stopped after " + first.stoppedAfter());
            assertEquals(first.stoppedAfter(), second.stoppedAfter(), "both processes stop after the same epoch");
            assertEquals("the transport bundle io.wax.transport.grpc 0.1.0 is being updated", first.swapStop());
            assertEquals("process 0 is swapping: the transport bundle io.wax.transport.grpc 0.1.0 is being updated",
                    second.swapStop(), "process 1 learns that process 0 swaps, and why");
            assertEquals(first.stoppedAfter() + 1, store.lowestFrontier(), "every worker committed past the stop epoch");
        }
        List<EpochSink> more = List.of(new EpochSink(), new EpochSink());
        src.release(16);
        try (Cluster c = new Cluster(p -> counting(src, more.get(p), finals.get(p)), options(store))) {
            Execution first = c.start(0);
            Execution second = c.start(1);
            await(() -> more.get(0).items.size() + more.get(1).items.size() == 6,
                    () -> "outputs after the swap " + more.get(0).items + more.get(1).items);
            second.stop();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                c.await(0);
                c.await(1);
            }, "a plain stop of process 1 stops both processes");
            assertEquals(first.stoppedAfter(), second.stoppedAfter());
            assertEquals(null, first.swapStop(), "a plain stop is no swap: the cluster is stopping");
            assertEquals(null, second.swapStop());
        }
        List<Object> after = new ArrayList<>(more.get(0).items);
        after.addAll(more.get(1).items);
        assertEquals(List.of("a=5", "a=6", "b=4", "c=3", "d=2", "e=1"), sorted(after), "the resumed cluster continued after the swap's epoch");
    }

    /**
     * A plain stop wins over a swap: one process is asked to stop (SIGTERM) while the other stops
     * for a swap, so neither may form the cluster again, or one would wait for the other in vain.
     */
    @Test
    void aPlainStopDuringASwapStopsTheCluster() throws Exception {
        GatedSource src = new GatedSource(words(), 4, Integer.MAX_VALUE);
        List<EpochSink> running = List.of(new EpochSink(), new EpochSink());
        List<TestingSink<KV<Long>>> finals = List.of(new TestingSink<>(), new TestingSink<>());
        try (Cluster c = new Cluster(p -> counting(src, running.get(p), finals.get(p)), options(new InMemoryRecoveryStore()))) {
            Execution first = c.start(0);
            Execution second = c.start(1);
            src.release(6);
            await(() -> running.get(0).items.size() + running.get(1).items.size() == 6,
                    () -> "outputs " + running.get(0).items + running.get(1).items);
            second.stop(); // its ask reaches process 0 before its proposal, so before the stop epoch is known
            first.stopForSwap("the flow bundle is being updated");
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                c.await(0);
                c.await(1);
            });
            assertEquals(first.stoppedAfter(), second.stoppedAfter());
            assertEquals(null, first.swapStop(), "process 0 heard process 1's plain stop: the cluster is stopping");
            assertEquals(null, second.swapStop());
        }
    }

    /**
     * Process 1's partitions end once read and no item crosses processes, so its workers finish while
     * process 0 goes on. Without recovery process 1's run then ends and its links close; with it,
     * its workers follow process 0's commits until the end. Either way a stop asked of either
     * process must still stop the cluster: a process at end of input has nothing open.
     */
    @Test
    void aStopAfterOneProcessReachedEndOfInputStopsTheOthers() throws Exception {
        for (boolean recovery : List.of(false, true)) {
            for (int asked : List.of(0, 1)) {
                if (!recovery && asked == 1) {
                    continue; // process 1's run has ended: there is nothing left to ask
                }
                String what = (recovery ? "with" : "without") + " recovery, stop asked of process " + asked;
                InMemoryRecoveryStore store = recovery ? new InMemoryRecoveryStore() : null;
                GatedSource src = new GatedSource(words(), 4, WORKERS);
                List<EpochSink> outs = List.of(new EpochSink(), new EpochSink());
                IntFunction<Dataflow> build = p -> {
                    Dataflow flow = new Dataflow("ends");
                    flow.input("inp", src).map("same", w -> w).output("out", outs.get(p));
                    return flow;
                };
                try (Cluster c = new Cluster(build, options(store))) {
                    src.release(8);
                    Execution first = c.start(0);
                    Execution second = c.start(1);
                    await(() -> outs.get(0).items.size() + outs.get(1).items.size() == 8,
                            () -> what + ": outputs " + outs.get(0).items + outs.get(1).items);
                    if (!recovery) {
                        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> c.await(1), what + ": process 1 ends");
                    }
                    (asked == 0 ? first : second).stop();
                    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                        c.await(0);
                        if (recovery) {
                            c.await(1);
                        }
                    }, what + ": the cluster stops");
                    assertTrue(first.stoppedAfter() >= 1, what + ": stopped after " + first.stoppedAfter());
                    assertEquals(8, outs.get(0).items.size() + outs.get(1).items.size(), what);
                    if (recovery) {
                        assertEquals(first.stoppedAfter(), second.stoppedAfter(), what);
                        assertEquals(first.stoppedAfter() + 1, store.lowestFrontier(), what);
                    }
                }
            }
        }
    }

    /**
     * A process fails while the cluster waits to agree on its stop epoch (its worker is still in
     * user code when the stop comes, and that code then throws): fate sharing holds, and every
     * process ends with its error within 5 s instead of waiting for a proposal that never comes.
     */
    @Test
    void aProcessThatFailsDuringTheStopFailsEveryProcess() throws Exception {
        GatedSource src = new GatedSource(words(), 4, Integer.MAX_VALUE);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<EpochSink> outs = List.of(new EpochSink(), new EpochSink());
        IntFunction<Dataflow> build = p -> {
            Dataflow flow = new Dataflow("dies");
            flow.input("inp", src).map("slow", w -> {
                if (w.equals("c")) { // item 3, read by a worker of one process only
                    inside.countDown();
                    release.await();
                    throw new IllegalStateException("c is not allowed");
                }
                return w;
            }).output("out", outs.get(p));
            return flow;
        };
        try (Cluster c = new Cluster(build, options(null))) {
            Execution first = c.start(0);
            Execution second = c.start(1);
            src.release(4);
            assertTrue(inside.await(20, java.util.concurrent.TimeUnit.SECONDS), "a worker reached item c");
            first.stop(); // asks process 1 too
            release.countDown();
            long t0 = System.nanoTime();
            for (Execution run : List.of(first, second)) {
                io.wax.spi.engine.FlowFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.wax.spi.engine.FlowFailedException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(5), run::await));
                assertTrue(e.getMessage().contains("c is not allowed") || String.valueOf(e.getCause()).contains("c is not allowed"),
                        e.toString());
            }
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "both processes ended within 5 s");
        }
    }

    private static long openEpoch(Execution run) {
        long e = -1;
        for (WorkerFigures w : run.figures().workers()) {
            e = Math.max(e, w.epoch());
        }
        return e;
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what.get());
            }
            Thread.sleep(5);
        }
    }

    private static <T> List<T> sorted(List<T> xs) {
        List<T> s = new ArrayList<>(xs);
        s.sort(null);
        return s;
    }
}
