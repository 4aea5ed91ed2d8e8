package io.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.KV;
import io.wax.api.testing.TestingSink;
import io.wax.engine.Runner;
import io.wax.engine.internal.Execution;
import io.wax.engine.internal.Loopback;
import io.wax.engine.testkit.StopFlows.EpochSink;
import io.wax.engine.testkit.StopFlows.GatedSource;
import io.wax.engine.testkit.StopFlows;
import io.wax.plan.Plan;
import io.wax.plan.Plans;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fate sharing's order: a process that finds a peer gone tells the other processes why before its
 * run can end and its links close. Over gRPC a close half-closes every stream once what is queued
 * has gone, so a report queued after the close never arrives, and the third process blamed the
 * reporting process for ending instead of naming the silent one (ClusterPeersTest, 3 of 10 runs
 * failed on a loaded machine).
 */
class FailureReportTest {
    private static final int PROCESSES = 3;

    /** Process 0's links: its report to process 1, sent from the thread that heard of the failure, is held until they close, or 1 s. */
    private static final class Held implements Links {
        private final Links links;
        volatile Receiver receiver;
        volatile Thread reporter;
        private boolean closed;
        volatile boolean closedBeforeReport;
        volatile int reports;

        Held(Links links) {
            this.links = links;
        }

        @Override
        public int processId() {
            return links.processId();
        }

        @Override
        public int processCount() {
            return links.processCount();
        }

        @Override
        public Hello hello() {
            return links.hello();
        }

        @Override
        public void start(Receiver r) {
            receiver = r;
            links.start(r);
        }

        @Override
        public void send(int peer, byte[] frame) {
            if (peer == 1 && Thread.currentThread() == reporter) {
                // The report: a thread that loses the processor here (a loaded machine) gives the
                // run every chance to end and close its links first, as it did over gRPC.
                synchronized (this) {
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    try {
                        while (!closed && until - System.nanoTime() > 0) {
                            TimeUnit.NANOSECONDS.timedWait(this, until - System.nanoTime());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closedBeforeReport |= closed;
                    reports++;
                }
            }
            links.send(peer, frame);
        }

        @Override
        public boolean writable(int peer) {
            return links.writable(peer);
        }

        @Override
        public void consumed(int peer) {
            links.consumed(peer);
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
            links.close();
        }
    }

    @Test
    void aProcessThatFindsAPeerSilentTellsTheOthersBeforeItsLinksClose() throws Exception {
        Loopback loopback = new Loopback(PROCESSES);
        List<String> addresses = Loopback.addresses(PROCESSES);
        GatedSource src = new GatedSource(List.of("a", "b", "c", "d"), 2, Integer.MAX_VALUE);
        src.release(4); // never ends: the run goes on until the failure stops it
        RunOptions options = RunOptions.defaults().withWorkers(1).withEpochInterval(Duration.ofMillis(20));
        Plan[] plans = new Plan[PROCESSES];
        Links[] links = new Links[PROCESSES];
        List<Thread> forming = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < PROCESSES; p++) {
            int id = p;
            plans[p] = Plans.of(StopFlows.counting(src, new EpochSink(), new TestingSink<KV<Long>>()));
            Hello hello = new Hello(Runner.PROTOCOL, p, PROCESSES, 1, plans[p].flowId(), "", plans[p].fingerprint(), 0);
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
        Held held = new Held(links[0]);
        // Process 2 formed the cluster and then stopped (SIGSTOP): it runs nothing and answers nothing.
        Execution first = new Execution(plans[0], options.withCluster(held)).start();
        Execution second = new Execution(plans[1], options.withCluster(links[1])).start();
        try {
            // As process 0's heartbeat does when process 2 stops answering.
            Thread heartbeat = new Thread(() -> held.receiver.onPeerFailed(2, "it stopped answering: nothing heard from it for 3.1 s"));
            held.reporter = heartbeat;
            heartbeat.start();
            // Process 0's main thread, as Runner's: its run ends, then its links close.
            RuntimeException e = assertThrows(RuntimeException.class, first::await);
            assertTrue(e.getMessage().contains("it stopped answering"), e.getMessage());
            held.close();
            heartbeat.join(10_000);
            assertFalse(heartbeat.isAlive(), "the heartbeat thread still reporting");
            assertEquals(1, held.reports, "reports sent to process 1");
            assertFalse(held.closedBeforeReport, "process 0 closed its links before its report to process 1 was queued");
            RuntimeException told = assertThrows(RuntimeException.class, second::await);
            assertTrue(told.getMessage().contains("process 2 of the cluster failed: it stopped answering")
                    && told.getMessage().contains("(in process 0)"), told.getMessage());
        } finally {
            for (Execution r : List.of(first, second)) {
                if (!r.done()) {
                    r.abort();
                }
            }
            held.close();
            links[1].close();
            links[2].close();
        }
    }
}
