package io.wax.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.TransportException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer that answered the handshake and then went away (it refused this process, or failed, and
 * exited before its answer got out): the join fails at once, naming it, instead of dialling a
 * process that is gone until the timeout and then calling it one that never answered (what
 * ClusterTest's mismatch case met under load).
 */
class HandshakeEndTest {
    @Test
    void aPeerThatAnsweredThenStoppedListeningFailsTheJoinAtOnce() throws Exception {
        int mine = FreePorts.port();
        Server[] fake = new Server[1];
        // Process 1: answers OPEN with a challenge (no secret), and on the hello goes away without a word.
        fake[0] = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                .addService(ServerServiceDefinition.builder("wax.Cluster").addMethod(Packet.LINK, (call, headers) -> {
                    call.request(1);
                    return new ServerCall.Listener<Packet>() {
                        @Override
                        public void onMessage(Packet p) {
                            if (p.tag() == Packet.OPEN) {
                                call.sendHeaders(new Metadata());
                                call.sendMessage(Control.challenge(Control.nonce(), new byte[0]));
                                call.request(1);
                            } else {
                                new Thread(fake[0]::shutdownNow).start();
                            }
                        }
                    };
                }).build()).build().start();
        List<String> addresses = List.of("127.0.0.1:" + mine, "127.0.0.1:" + fake[0].getPort());
        ClusterSpec spec = new ClusterSpec(0, addresses, Duration.ofSeconds(30), ClusterSpec.Security.NONE);
        Hello hello = new Hello(1, 0, 2, 1, "f", "", 42, 7);
        long start = System.nanoTime();
        try {
            TransportException e = assertThrows(TransportException.class, () -> new Node(spec, hello, null, null).connect());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 10_000, "failed after " + took + " ms, not at once: " + e.getMessage());
            assertTrue(e.getMessage().contains("process 1 at " + addresses.get(1)) && e.getMessage().contains("stopped listening"),
                    e.getMessage());
        } finally {
            fake[0].shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

}
