package io.wax.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A swap of the transport closes a run's links from the thread that unbinds it, while the run's
 * own thread may be in {@code finish()}, waiting for its peers to complete: the close must wake
 * it. It waited forever (seen when a Kafka exactly-once flow's slow stop let the close come first).
 */
class CloseDuringFinishTest {
    private static final Links.Receiver QUIET = new Links.Receiver() {
        @Override
        public void onFrame(int peer, byte[] frame) {
        }

        @Override
        public void onPeerFailed(int peer, String reason) {
        }
    };

    @Test
    void closingTheLinksEndsAFinishThatWaitsForPeers() throws Exception {
        List<String> a = List.of("127.0.0.1:" + FreePorts.port(), "127.0.0.1:" + FreePorts.port());
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            Future<Node> zero = ex.submit(() -> new Node(spec(0, a), hello(0), null, null).connect());
            Future<Node> one = ex.submit(() -> new Node(spec(1, a), hello(1), null, null).connect());
            Node n0 = zero.get(30, TimeUnit.SECONDS);
            Node n1 = one.get(30, TimeUnit.SECONDS);
            n0.start(QUIET);
            n1.start(QUIET);
            Future<?> finishing = ex.submit(() -> {
                n0.finish(); // process 1 never completes its run
                return null;
            });
            n0.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> finishing.get(20, TimeUnit.SECONDS),
                    "finish() was not woken by close()");
            assertInstanceOf(TransportException.class, e.getCause());
            assertFalse(finishing.isCancelled());
            n1.close();
        } finally {
            ex.shutdownNow();
        }
    }

    private static Hello hello(int p) {
        return new Hello(1, p, 2, 1, "f", "", 42, p == 0 ? 7 : 0);
    }

    private static ClusterSpec spec(int p, List<String> a) {
        return new ClusterSpec(p, a, Duration.ofSeconds(30), ClusterSpec.Security.NONE);
    }
}
