package io.wax.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport's heartbeat on two in-JVM nodes over real gRPC sockets: a peer that goes silent
 * with its connections open (a proxy that stops forwarding, as a SIGSTOPped process does) is
 * declared gone within issue 15's 5 s, by name, with no security, under a shared secret and under
 * mutual TLS (the beats have a channel of their own, which must pass the same checks); a live peer
 * is not, neither when it sends nothing for longer than the timeout nor when it consumes slowly,
 * holding the sender back through flow control for longer than that.
 */
class HeartbeatTest {
    /** What one node's receiver heard. */
    private static final class Heard implements Links.Receiver {
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<String> failures = new LinkedBlockingQueue<>();

        @Override
        public void onFrame(int peer, byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void onPeerFailed(int peer, String reason) {
            failures.add(peer + ": " + reason);
        }
    }

    private static Hello hello(int p) {
        return new Hello(1, p, 2, 1, "beat", "1.0.0", 42L, 0);
    }

    /** Connects both nodes at once (each waits for the other), with the addresses each one uses. */
    private static List<Links> connect(List<String> addresses0, List<String> addresses1) throws Exception {
        return connect(addresses0, addresses1, ClusterSpec.Security.NONE, ClusterSpec.Security.NONE);
    }

    private static List<Links> connect(List<String> addresses0, List<String> addresses1, ClusterSpec.Security s0,
                                       ClusterSpec.Security s1) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<Links> l0 = ex.submit(() -> new GrpcTransport().connect(
                    new ClusterSpec(0, addresses0, Duration.ofSeconds(30), s0), hello(0)));
            Future<Links> l1 = ex.submit(() -> new GrpcTransport().connect(
                    new ClusterSpec(1, addresses1, Duration.ofSeconds(30), s1), hello(1)));
            return List.of(l0.get(60, TimeUnit.SECONDS), l1.get(60, TimeUnit.SECONDS));
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void aPeerThatGoesSilentIsDeclaredGoneWithinFiveSecondsByName() throws Exception {
        silentPeerIsFound(ClusterSpec.Security.NONE, ClusterSpec.Security.NONE, false);
    }

    @Test
    void underASharedSecretALivePeerIsNotDeclaredGoneAndASilentOneIsWithinFiveSeconds() throws Exception {
        ClusterSpec.Security secret = new ClusterSpec.Security(null, null, null, "beat-secret");
        silentPeerIsFound(secret, secret, true);
    }

    @Test
    void underMutualTlsALivePeerIsNotDeclaredGoneAndASilentOneIsWithinFiveSeconds(@TempDir Path dir) throws Exception {
        Pki.ca(dir, "ca");
        Pki.member(dir, "ca", "p0");
        Pki.member(dir, "ca", "p1");
        silentPeerIsFound(Pki.security(dir, "ca", "p0"), Pki.security(dir, "ca", "p1"), true);
    }

    /**
     * Process 0 reaches process 1 only through a proxy, which then stops forwarding. With
     * {@code quietFirst}, both first send nothing for longer than the heartbeat's timeout, and
     * neither may declare the other gone meanwhile: the beats get through whatever the security.
     */
    private static void silentPeerIsFound(ClusterSpec.Security s0, ClusterSpec.Security s1, boolean quietFirst) throws Exception {
        List<String> a = GrpcTransportTest.freeAddresses(2);
        try (Proxy proxy = new Proxy(GrpcTransportTest.freeAddresses(1).get(0), a.get(1))) {
            // Process 0 reaches process 1 only through the proxy; process 1 reaches process 0 directly.
            List<Links> links = connect(List.of(a.get(0), proxy.address), a, s0, s1);
            Links zero = links.get(0);
            Links one = links.get(1);
            try {
                Heard heard0 = new Heard();
                Heard heard1 = new Heard();
                zero.start(heard0);
                one.start(heard1);
                zero.send(1, new byte[] {1});
                one.send(0, new byte[] {2});
                assertArrayEquals(new byte[] {1}, heard1.frames.poll(10, TimeUnit.SECONDS));
                assertArrayEquals(new byte[] {2}, heard0.frames.poll(10, TimeUnit.SECONDS));
                if (quietFirst) {
                    // No data for 4.5 s, one and a half times the timeout: only the beats say that both live.
                    String falseAlarm = heard0.failures.poll(4500, TimeUnit.MILLISECONDS);
                    assertNull(falseAlarm, "process 0 declared the live process 1 gone");
                    assertNull(heard1.failures.poll(), "process 1 declared the live process 0 gone");
                    zero.send(1, new byte[] {3});
                    assertArrayEquals(new byte[] {3}, heard1.frames.poll(10, TimeUnit.SECONDS), "the link still carries frames");
                }

                proxy.pause();
                long paused = System.nanoTime();
                String failure = heard0.failures.poll(15, TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - paused);
                System.out.println("HeartbeatTest: the silent peer was declared gone after " + took.toMillis() + " ms: " + failure);
                assertNotNull(failure, "process 0 never noticed that process 1 went silent");
                assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "within 5 s, took " + took.toMillis() + " ms");
                // Not before 3 s without an echo, less the second the last echo may have been old.
                assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "only after the timeout, took " + took.toMillis() + " ms");
                assertTrue(failure.startsWith("1: it stopped answering at " + proxy.address + ": nothing heard from it for "), failure);

                // Closing does not wait for the stream to the silent peer to drain (it never would).
                zero.send(1, new byte[1000]);
                long closing = System.nanoTime();
                zero.close();
                Duration closed = Duration.ofNanos(System.nanoTime() - closing);
                assertTrue(closed.compareTo(Duration.ofSeconds(2)) < 0, "close took " + closed.toMillis() + " ms");
            } finally {
                zero.close();
                proxy.close(); // cuts process 1's connections from process 0: it closes at once too
                one.close();
            }
        }
    }

    @Test
    void aSlowButLivePeerThatHoldsTheSenderBackIsNotDeclaredGone() throws Exception {
        List<String> a = GrpcTransportTest.freeAddresses(2);
        List<Links> links = connect(a, a);
        Links zero = links.get(0);
        Links one = links.get(1);
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        try {
            Heard heard0 = new Heard();
            Heard heard1 = new Heard();
            zero.start(heard0);
            one.start(heard1);
            int frames = 160;
            int size = 64 * 1024; // 10 MiB in all: far more than HTTP/2's windows, so the data connection stalls
            long start = System.nanoTime();
            // Process 1 takes one frame each 50 ms: 8 s for all, while process 0 offers them as fast as it may.
            Future<Integer> took = consumer.submit(() -> {
                int got = 0;
                while (got < frames) {
                    byte[] f = heard1.frames.poll(30, TimeUnit.SECONDS);
                    if (f == null) {
                        return got;
                    }
                    assertEquals(size, f.length);
                    assertEquals((byte) got, f[0], "in order");
                    got++;
                    Thread.sleep(50); // the slow consumer itself, not a wait for anything
                    one.consumed(0);
                }
                return got;
            });
            int heldBack = 0;
            for (int i = 0; i < frames; i++) {
                if (!zero.writable(1)) {
                    heldBack++;
                    while (!zero.writable(1)) {
                        assertNull(heard0.failures.poll(5, TimeUnit.MILLISECONDS), "process 0 declared the slow process gone");
                    }
                }
                byte[] f = new byte[size];
                f[0] = (byte) i;
                zero.send(1, f);
            }
            assertEquals(frames, took.get(60, TimeUnit.SECONDS), "every frame arrived");
            Duration all = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("HeartbeatTest: " + frames + " frames to a slow consumer in " + all.toMillis() + " ms, held back "
                    + heldBack + " times");
            assertTrue(heldBack > 0, "the consumer never held the sender back");
            assertTrue(all.compareTo(Duration.ofSeconds(6)) > 0, "slower than the heartbeat's timeout: " + all.toMillis() + " ms");
            assertNull(heard0.failures.poll(), "process 0 declared the slow process gone");
            assertNull(heard1.failures.poll(), "process 1 declared process 0 gone");
        } finally {
            consumer.shutdownNow();
            zero.close();
            one.close();
        }
    }
}
