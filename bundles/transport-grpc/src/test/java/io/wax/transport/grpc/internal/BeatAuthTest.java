package io.wax.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.transport.grpc.GrpcTransport;
import io.wax.transport.grpc.Proxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Under a shared secret without TLS, the heartbeat's own connections prove the secret as the data
 * streams do, in both directions. A stranger that calls the beat method of process 0 and beats as
 * process 1 (with the run's generation, which a plaintext hello shows to anyone on the path) gets
 * no echo, its call is closed and the log names its address while its connection is still open;
 * and an impostor that answers process 0's beats at process 1's address (a man in the middle,
 * echoing every beat) does not keep the silent process 1 alive. Two in-JVM nodes over real sockets,
 * process 0 reaching process 1 through a proxy that then stops forwarding (a SIGSTOPped process).
 */
class BeatAuthTest {
    private static final ClusterSpec.Security SECRET = new ClusterSpec.Security(null, null, null, "beat-secret");
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void captureLog() {
        // slf4j-simple writes to whatever System.err is at the time of each line.
        oldErr = System.err;
        System.setErr(new PrintStream(new Tee(log, oldErr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(oldErr);
    }

    private String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the log never said '" + text + "': " + log());
            Thread.sleep(20); // polling the log, not synchronising on time
        }
    }

    /** What one node's receiver heard. */
    private static final class Heard implements Links.Receiver {
        final BlockingQueue<String> failures = new LinkedBlockingQueue<>();

        @Override
        public void onFrame(int peer, byte[] frame) {
        }

        @Override
        public void onPeerFailed(int peer, String reason) {
            failures.add(peer + ": " + reason);
        }
    }

    /** Both nodes under the secret; process 0 knows process 1 by {@code addresses0}'s second address. */
    private static List<Links> connect(List<String> addresses0, List<String> addresses1) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<Links> l0 = ex.submit(() -> new GrpcTransport().connect(
                    new ClusterSpec(0, addresses0, Duration.ofSeconds(30), SECRET), new Hello(1, 0, 2, 1, "beat", "1.0.0", 42L, 0)));
            Future<Links> l1 = ex.submit(() -> new GrpcTransport().connect(
                    new ClusterSpec(1, addresses1, Duration.ofSeconds(30), SECRET), new Hello(1, 1, 2, 1, "beat", "1.0.0", 42L, 0)));
            return List.of(l0.get(60, TimeUnit.SECONDS), l1.get(60, TimeUnit.SECONDS));
        } finally {
            ex.shutdownNow();
        }
    }

    private static Packet beat(int process, long generation) {
        return new Packet(Packet.BEAT, ByteBuffer.allocate(12).putInt(process).putLong(generation).array());
    }

    /** A stranger's beat call: counts what comes back, and how it ended. */
    private static final class Stranger extends ClientCall.Listener<Packet> {
        final AtomicInteger beatsBack = new AtomicInteger();
        final CompletableFuture<Status> closed = new CompletableFuture<>();
        final BlockingQueue<Packet> messages = new LinkedBlockingQueue<>();
        ClientCall<Packet, Packet> call;

        @Override
        public void onMessage(Packet p) {
            if (p.tag() == Packet.BEAT) {
                beatsBack.incrementAndGet();
            }
            messages.add(p);
            call.request(1);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
        }
    }

    private static Stranger call(ManagedChannel channel) {
        Stranger s = new Stranger();
        s.call = channel.newCall(Heartbeat.BEAT, CallOptions.DEFAULT);
        s.call.start(s, new Metadata());
        s.call.request(1);
        return s;
    }

    /** Waits for the stranger's first answer: a message, or the end of its call (null then). */
    private static Packet firstAnswer(Stranger s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Packet p = s.messages.poll(50, TimeUnit.MILLISECONDS);
            if (p != null || s.closed.isDone()) {
                return p;
            }
        }
        return null;
    }

    /** Waits for process 0 to name a failure, at most 15 s, running {@code meanwhile} every 200 ms. */
    private static String awaitFailure(Heard heard, Runnable meanwhile) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            meanwhile.run();
            String f = heard.failures.poll(200, TimeUnit.MILLISECONDS);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static void silenceNamedInTime(String failure, long pausedNanos, String address) {
        Duration took = Duration.ofNanos(System.nanoTime() - pausedNanos);
        System.out.println("BeatAuthTest: the silent peer was declared gone " + took.toMillis() + " ms after the pause: " + failure);
        assertNotNull(failure, "process 0 never noticed that process 1 went silent");
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "within 5 s, took " + took.toMillis() + " ms");
        assertTrue(failure.startsWith("1: it stopped answering at " + address + ": nothing heard from it for "), failure);
    }

    @Test
    void aStrangersBeatsAreNeitherEchoedNorCreditedAndItIsNamed() throws Exception {
        List<String> a = FreePorts.addresses(2);
        try (Proxy proxy = new Proxy(FreePorts.addresses(1).get(0), a.get(1))) {
            List<Links> links = connect(List.of(a.get(0), proxy.address), a);
            Links zero = links.get(0);
            Links one = links.get(1);
            ManagedChannel channel = NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", Node.port(a.get(0))))
                    .usePlaintext().directExecutor().build();
            try {
                Heard heard0 = new Heard();
                zero.start(heard0);
                one.start(new Heard());
                long generation = zero.hello().generation();
                // Stranger 1 beats as process 1 with the run's generation, as protocol 1's beats went.
                Stranger raw = call(channel);
                raw.call.sendMessage(beat(1, generation));
                // Stranger 2 opens the beat's handshake, then proves a secret it guessed.
                Stranger guess = call(channel);
                byte[] nonce = Control.nonce();
                guess.call.sendMessage(Control.open(Control.PROTOCOL, nonce, 1));
                Packet challenge = firstAnswer(guess);
                if (challenge != null && challenge.tag() == Packet.CHALLENGE) {
                    byte[] b = beat(1, generation).body();
                    Control.Challenge ch = Control.readChallenge(challenge.body());
                    guess.call.sendMessage(Control.hello(b, Control.beatProof("guessed", nonce, ch.nonce(), b)));
                }

                proxy.pause();
                long paused = System.nanoTime();
                // Both go on beating as process 1 while the real one is silent.
                String failure = awaitFailure(heard0, () -> {
                    for (Stranger s : List.of(raw, guess)) {
                        if (!s.closed.isDone() && s.call.isReady()) {
                            s.call.sendMessage(beat(1, generation));
                        }
                    }
                });
                silenceNamedInTime(failure, paused, proxy.address);
                assertEquals(0, raw.beatsBack.get(), "process 0 echoed the beats of a stranger");
                assertEquals(0, guess.beatsBack.get(), "process 0 echoed the beats of a stranger with a guessed secret");
                assertEquals(Status.Code.PERMISSION_DENIED, raw.closed.get(5, TimeUnit.SECONDS).getCode());
                assertEquals(Status.Code.PERMISSION_DENIED, guess.closed.get(5, TimeUnit.SECONDS).getCode());
                // Named while their connection is still open (the doorman would only name it once it closed).
                awaitLog("refused a heartbeat call from /127.0.0.1:");
                String named = log();
                assertTrue(named.contains("did not open a Wax heartbeat"), named);
                assertTrue(named.contains("did not prove the cluster secret"), named);
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
                zero.close();
                proxy.close();
                one.close();
            }
        }
    }

    /** The impostor's side of a beat call: a challenge under a guessed secret, then every message echoed. */
    private static ServerCall.Listener<Packet> impostor(ServerCall<Packet, Packet> call, AtomicInteger calls) {
        calls.incrementAndGet();
        call.sendHeaders(new Metadata());
        call.request(1);
        return new ServerCall.Listener<>() {
            @Override
            public void onMessage(Packet p) {
                if (p.tag() == Packet.OPEN) {
                    byte[] nonceS = Control.nonce();
                    byte[] nonceC;
                    try {
                        nonceC = Control.readOpen(p.body()).nonce();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    call.sendMessage(Control.challenge(nonceS, Control.calleeProof("guessed", nonceC, nonceS)));
                } else {
                    call.sendMessage(p);
                }
                call.request(1);
            }
        };
    }

    /**
     * A man in the middle: process 0's data stream reaches process 1, and its heartbeat connection
     * (dialled after the cluster formed) an impostor, which answers a handshake with a challenge
     * under a guessed secret and echoes every beat. Process 1 then goes silent: its silence is
     * named in time all the same, and so is the impostor's address.
     */
    @Test
    void anImpostorEchoingBeatsAtAPeersAddressDoesNotKeepItAlive() throws Exception {
        List<String> a = FreePorts.addresses(2);
        AtomicInteger impostorCalls = new AtomicInteger();
        Server impostor = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                .addService(ServerServiceDefinition.builder("wax.Cluster").addMethod(Heartbeat.BEAT, (call, headers) -> impostor(call, impostorCalls)).build())
                .build().start();
        String impostorAddress = "127.0.0.1:" + impostor.getPort();
        // The first connection through the proxy (process 0's data stream) reaches process 1; every later one the impostor.
        try (Proxy proxy = new Proxy(FreePorts.addresses(1).get(0), a.get(1), 1, impostorAddress)) {
            List<Links> links = connect(List.of(a.get(0), proxy.address), a);
            Links zero = links.get(0);
            Links one = links.get(1);
            try {
                Heard heard0 = new Heard();
                zero.start(heard0);
                one.start(new Heard());
                proxy.pause();
                long paused = System.nanoTime();
                String failure = awaitFailure(heard0, () -> { });
                silenceNamedInTime(failure, paused, proxy.address);
                assertTrue(impostorCalls.get() > 0, "the heartbeat never reached the impostor: the test proves nothing");
                awaitLog("the heartbeat to process 1 at " + proxy.address + " was answered by something that did not prove the cluster secret");
            } finally {
                zero.close();
                proxy.close();
                one.close();
                impostor.shutdownNow();
                impostor.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Copies what is written to the log buffer and on to the real stderr. */
    private static final class Tee extends OutputStream {
        private final ByteArrayOutputStream copy;
        private final OutputStream next;

        Tee(ByteArrayOutputStream copy, OutputStream next) {
            this.copy = copy;
            this.next = next;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (copy) {
                copy.write(b);
            }
            next.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            next.write(b, off, len);
        }
    }
}
