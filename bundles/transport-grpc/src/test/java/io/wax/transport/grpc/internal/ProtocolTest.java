package io.wax.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Two processes of a cluster that run different builds, in one JVM over real sockets: one speaks
 * another transport protocol (an older or newer io.wax.transport.grpc), or another engine protocol.
 * Both fail within issue 15's 10 s, each with one paragraph naming the other process, both versions
 * and what to do; neither waits for its connect timeout (30 s here).
 */
class ProtocolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What one process's connect ended with, and when. */
    private record Outcome(Throwable error, long atNanos) {
    }

    private static Hello hello(int engineProtocol, int p) {
        return new Hello(engineProtocol, p, 2, 1, "f", "1.0.0", 42, p == 0 ? 7 : 0);
    }

    /** Process {@code p} joining in the background; the node is closed if it ever forms. */
    private static CompletableFuture<Outcome> join(List<String> a, int p, ClusterSpec.Security s, int transportProtocol, Hello hello) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                new Node(new ClusterSpec(p, a, TIMEOUT, s), hello, null, null, transportProtocol).connect().close();
                f.complete(new Outcome(null, System.nanoTime()));
            } catch (Throwable e) {
                f.complete(new Outcome(e, System.nanoTime()));
            }
        }, "protocol-test-" + p);
        t.start();
        return f;
    }

    /**
     * Process 0 speaks transport protocol 1 and process 1 {@code 2}; process 1 starts
     * {@code laterMs} after process 0. Returns both errors' messages after checking the time bound.
     */
    private static List<String> bothFail(ClusterSpec.Security s, int[] transport, int[] engine, long laterMs) throws Exception {
        List<String> a = FreePorts.addresses(2);
        CompletableFuture<Outcome> zero = join(a, 0, s, transport[0], hello(engine[0], 0));
        if (laterMs > 0) {
            // Process 0 dials a port nobody listens on yet: the late peer must still be told, and tell it.
            try {
                fail("process 0 ended alone: " + zero.get(laterMs, TimeUnit.MILLISECONDS));
            } catch (TimeoutException stillWaiting) {
                // as it should: its peer is not there yet
            }
        }
        long start = System.nanoTime();
        CompletableFuture<Outcome> one = join(a, 1, s, transport[1], hello(engine[1], 1));
        List<String> messages = new ArrayList<>();
        int p = 0;
        for (CompletableFuture<Outcome> f : List.of(zero, one)) {
            Outcome o = f.get(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
            long took = TimeUnit.NANOSECONDS.toMillis(o.atNanos() - start);
            assertInstanceOf(TransportException.class, o.error(), "process " + p + " did not fail as it should");
            System.out.println("ProtocolTest: process " + p + " failed after " + took + " ms: " + o.error().getMessage());
            assertTrue(took < 10_000, "process " + p + " failed after " + took + " ms: " + o.error().getMessage());
            messages.add(o.error().getMessage());
            p++;
        }
        return messages;
    }

    private static void namesTheTransportMismatch(List<String> m) {
        String fix = "update io.wax.transport.grpc in every process to the same build";
        assertTrue(m.get(0).contains("process 1 (") && m.get(0).contains(" speaks transport protocol 2 and process 0 (this process)"
                + " speaks transport protocol 1") && m.get(0).contains(fix), m.get(0));
        assertTrue(m.get(1).contains("process 0 (") && m.get(1).contains(" speaks transport protocol 1 and process 1 (this process)"
                + " speaks transport protocol 2") && m.get(1).contains(fix), m.get(1));
    }

    @Test
    void anotherTransportProtocolFailsBothProcessesNamingBothVersions() throws Exception {
        namesTheTransportMismatch(bothFail(ClusterSpec.Security.NONE, new int[] {1, 2}, new int[] {1, 1}, 0));
    }

    /**
     * Under a secret the callee does not trust an OPEN (nothing is proven yet), so each process
     * learns of the mismatch from its own dial; the one started first is still dialling when the
     * other fails, and hears it before that one stops listening.
     */
    @Test
    void anotherTransportProtocolUnderASecretFailsBothEvenWhenOneStartsLater() throws Exception {
        ClusterSpec.Security secret = new ClusterSpec.Security(null, null, null, "s3cret");
        namesTheTransportMismatch(bothFail(secret, new int[] {1, 2}, new int[] {1, 1}, 1500));
    }

    @Test
    void anotherEngineProtocolFailsBothProcessesNamingBothVersions() throws Exception {
        List<String> m = bothFail(ClusterSpec.Security.NONE, new int[] {1, 1}, new int[] {1, 2}, 0);
        String fix = "update io.wax.engine and io.wax.runtime in every process to the same build";
        // Each process names the difference itself, or quotes the peer that refused it first.
        for (String s : m) {
            assertTrue((s.contains("this process (0) speaks engine protocol 1, process 1 speaks 2")
                    || s.contains("this process (1) speaks engine protocol 2, process 0 speaks 1")) && s.contains(fix), s);
        }
    }
}
