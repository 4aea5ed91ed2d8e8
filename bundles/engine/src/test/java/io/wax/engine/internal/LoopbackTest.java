package io.wax.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-JVM transport of the test kit's clusters. */
class LoopbackTest {
    /**
     * Two processes that each answer a peer's frame from inside their receive callback, at the same
     * moment (as a start mismatch is told to every peer): each answer must arrive. Delivering under
     * the receiving node's lock deadlocked here, each thread holding one node and waiting for the other.
     */
    @Test
    void twoProcessesAnsweringEachOtherFromTheirCallbacksAtOnceDoNotDeadlock() throws Exception {
        Loopback transport = new Loopback(2);
        Links[] links = new Links[2];
        Thread[] joins = new Thread[2];
        for (int p = 0; p < 2; p++) {
            int id = p;
            joins[p] = new Thread(() -> {
                try {
                    links[id] = transport.connect(new ClusterSpec(id, Loopback.addresses(2), Duration.ofSeconds(10),
                            ClusterSpec.Security.NONE), new Hello(1, id, 2, 1, "f", "1", 7, 0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            joins[p].start();
        }
        for (Thread t : joins) {
            t.join();
        }
        CyclicBarrier bothInCallbacks = new CyclicBarrier(2);
        CountDownLatch answers = new CountDownLatch(2);
        for (int p = 0; p < 2; p++) {
            int id = p;
            links[p].start(new Links.Receiver() {
                @Override
                public void onFrame(int peer, byte[] frame) {
                    links[id].consumed(peer);
                    if (frame[0] == 'q') {
                        try {
                            bothInCallbacks.await(10, TimeUnit.SECONDS); // both deliveries are under way
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        links[id].send(peer, new byte[] {'a'});
                    } else {
                        answers.countDown();
                    }
                }

                @Override
                public void onPeerFailed(int peer, String reason) {
                }
            });
        }
        List<Thread> senders = List.of(new Thread(() -> links[0].send(1, new byte[] {'q'})),
                new Thread(() -> links[1].send(0, new byte[] {'q'})));
        senders.forEach(t -> {
            t.setDaemon(true); // a deadlocked sender must not keep the test JVM alive
            t.start();
        });
        assertTrue(answers.await(10, TimeUnit.SECONDS), "the answers sent from inside the callbacks never arrived");
        for (Thread t : senders) {
            t.join(10_000);
            assertEquals(Thread.State.TERMINATED, t.getState(), t.getName() + " still delivering");
        }
        links[0].close();
        links[1].close();
    }
}
