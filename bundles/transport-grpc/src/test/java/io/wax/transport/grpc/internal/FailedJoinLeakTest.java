package io.wax.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.TransportException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A process that fails to join its cluster leaves no thread, event loop, selector or socket of
 * the transport behind, whatever failed: listening itself, a port in use, or a peer that speaks
 * another protocol. Each case runs once to load its classes, then again between two counts of the
 * JVM's threads and open file descriptors.
 */
class FailedJoinLeakTest {
    private interface Failing {
        void run() throws Exception;
    }

    private static Set<Thread> threads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    private static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Runs {@code f} twice, and checks that the second run left nothing behind (given 10 s to wind down). */
    private static void leavesNothing(String what, Failing f) throws Exception {
        f.run();
        Set<Thread> before = threads();
        long fdsBefore = fds();
        f.run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> left = threads().stream().filter(t -> t.isAlive() && !before.contains(t)).map(Thread::getName).sorted()
                    .collect(Collectors.toList());
            long fdsAfter = fds();
            if (left.isEmpty() && fdsAfter <= fdsBefore) {
                System.out.println("FailedJoinLeakTest: " + what + ": " + before.size() + " threads and " + fdsBefore
                        + " open files before, no new thread and " + fdsAfter + " open files after");
                return;
            }
            assertTrue(System.nanoTime() < deadline, what + " left threads " + left + " and " + (fdsAfter - fdsBefore) + " more open files");
            Thread.sleep(200); // polling the counts while executors wind down, not synchronising on time
        }
    }

    private static Hello hello(int p) {
        return new Hello(1, p, 2, 1, "f", "", 42, p == 0 ? 7 : 0);
    }

    private static ClusterSpec spec(int p, List<String> a) {
        return new ClusterSpec(p, a, Duration.ofSeconds(30), ClusterSpec.Security.NONE);
    }

    /** Any failure of listening other than a port in use; here gRPC refuses a client's TLS context for the server. */
    @Test
    void aFailureToListenLeavesNothingBehind() throws Exception {
        SslContext clientSide = GrpcSslContexts.forClient().build();
        leavesNothing("a failure to listen", () -> {
            List<String> a = List.of("127.0.0.1:" + FreePorts.port(), "127.0.0.1:" + FreePorts.port());
            TransportException e = assertThrows(TransportException.class, () -> new Node(spec(0, a), hello(0), clientSide, null).connect());
            assertTrue(e.getMessage().startsWith("process 0 cannot listen on " + a.get(0) + ": "), e.getMessage());
        });
    }

    @Test
    void aPortInUseLeavesNothingBehind() throws Exception {
        leavesNothing("a port in use", () -> {
            try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                List<String> a = List.of("127.0.0.1:" + taken.getLocalPort(), "127.0.0.1:" + FreePorts.port());
                TransportException e = assertThrows(TransportException.class, () -> new Node(spec(0, a), hello(0), null, null).connect());
                assertTrue(e.getMessage().contains("the port is in use"), e.getMessage());
            }
        });
    }

    @Test
    void aPeerOfAnotherProtocolLeavesNothingBehindInEitherProcess() throws Exception {
        leavesNothing("a peer of another protocol", () -> {
            List<String> a = List.of("127.0.0.1:" + FreePorts.port(), "127.0.0.1:" + FreePorts.port());
            ExecutorService ex = Executors.newFixedThreadPool(2);
            try {
                Future<?> zero = ex.submit(() -> new Node(spec(0, a), hello(0), null, null, 1).connect());
                Future<?> one = ex.submit(() -> new Node(spec(1, a), hello(1), null, null, 2).connect());
                for (Future<?> f : List.of(zero, one)) {
                    Throwable t = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS)).getCause();
                    assertTrue(t instanceof TransportException && t.getMessage().contains("speaks transport protocol"), String.valueOf(t));
                }
            } finally {
                ex.shutdown();
                assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
            }
        });
    }
}
