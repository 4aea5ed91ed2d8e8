package io.wax.transport.grpc.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's own liveness check: once the cluster has formed, this process sends every peer
 * a small BEAT each {@link #INTERVAL_MS} on a stream of its own, the peer echoes it, and a peer
 * from which no echo came for {@link #TIMEOUT_MS} is declared gone (the run fails as for a
 * broken stream, naming it). It catches what a broken connection does not: a process that is
 * alive, its sockets open, and silent (SIGSTOP, a hung machine, a cut cable without a reset).
 * gRPC's keepalive would too, but grpc-java raises any keepalive time under 10 s to 10 s.
 *
 * <p>Why its own channel, that is its own TCP connection and HTTP/2 flow control: a data stream
 * held back by a slow consumer (manual flow control) legitimately stops for as long as the
 * consumer takes, and with it HTTP/2's connection window, which grpc-java sizes like one stream's
 * window; a beat on the same connection would wait behind it and a slow peer would look dead.
 * On a connection that carries nothing else, with automatic flow control (one message requested
 * per message read), a beat waits for nothing but the peer's event loop. HTTP/2 PING frames are
 * not flow-controlled either, but grpc-java offers no API to send one on a channel, and its
 * server counts a client's pings against {@code permitKeepAliveTime}; reaching into the shaded
 * Netty pipeline for them would be a hack. Beats go out every interval whatever else went out:
 * one 13-byte message a second per peer is nothing, and the rule stays one line.
 *
 * <p>The figures: a beat every second, gone after 3 s without an echo. A process stopped at any
 * moment is found between 2 and 3.25 s later (its last echo came up to a second before), which
 * leaves the engine about 2 s to stop within issue 15's 5 s. A live peer's echo comes from its
 * Netty event loop, which runs no user code: only a stop-the-world pause or a starved scheduler
 * longer than 2 s (3 s less the interval) on top of the loop's own backlog makes a false alarm,
 * which is far beyond what a loaded 2-core machine shows (GC pauses of the default heap are tens
 * of milliseconds). A stall of this process itself (its timer runs late) is credited to every
 * peer, not blamed on them.
 *
 * <p>Only members' beats count. Each beat call starts as a data stream does ({@link Control}): the
 * caller's {@code OPEN} (protocol, nonce, process id), the callee's {@code CHALLENGE} (its nonce
 * and, under a secret, its proof), then the caller's first beat with its own proof
 * ({@link Control#beatProof}); later beats and every echo are plain {@code BEAT}s. The callee echoes
 * nothing before that proof passed, and the caller credits no echo before the callee's proof
 * passed: a stranger who calls this process gets no echo, its call is closed and the log names its
 * address, and one who answers at a peer's address (a man in the middle) cannot keep a silent peer
 * alive. Under mutual TLS the beats' channels and the server are the data streams' own, so the
 * CA's check comes first; without a secret the proofs are empty, as on the data streams.
 */
final class Heartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    static final long INTERVAL_MS = 1000;
    static final long TIMEOUT_MS = 3000;
    /** How often the silence is checked: a quarter of the interval, so a silent peer is named at most 250 ms late. */
    private static final long TICK_MS = INTERVAL_MS / 4;

    static final MethodDescriptor<Packet, Packet> BEAT = MethodDescriptor.<Packet, Packet>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("wax.Cluster", "Beat"))
            .setRequestMarshaller(Packet.marshaller())
            .setResponseMarshaller(Packet.marshaller())
            .build();

    private final Node node;
    private final int me;
    private final int n;
    /** Made by {@link #start}: a node that never forms (or fails before it listens) starts no thread. */
    private ScheduledExecutorService timer;
    private final ManagedChannel[] channels;
    /** This process's current beat call to each peer, or null. */
    private final Echo[] calls;
    /** Peers at whose address something that is not a member answered: named in the log once. */
    private final boolean[] impostorNamed;
    /** When each peer's last echo (or the start) came, in System.nanoTime. */
    private final AtomicLongArray heard;
    private final long[] sent;
    /** When the last tick ran: a late tick means this process itself stalled. */
    private long lastTick;
    /** Peers no longer watched: found silent, or done. */
    private final boolean[] unwatched;
    /** The beat calls peers opened here, closed with the node (a graceful server shutdown would wait for them). */
    private final Set<ServerCall<Packet, Packet>> served = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private boolean started;

    Heartbeat(Node node, int me, int n) {
        this.node = node;
        this.me = me;
        this.n = n;
        this.channels = new ManagedChannel[n];
        this.calls = new Echo[n];
        this.impostorNamed = new boolean[n];
        this.heard = new AtomicLongArray(n);
        this.sent = new long[n];
        this.unwatched = new boolean[n];
    }

    /** Starts beating and watching every peer (once the cluster has formed: the peers know the generation then). */
    synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        long now = System.nanoTime();
        lastTick = now;
        for (int p = 0; p < n; p++) {
            heard.set(p, now);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wax-transport-heartbeat-" + me);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        long late;
        synchronized (this) {
            late = now - lastTick - TimeUnit.MILLISECONDS.toNanos(TICK_MS);
            lastTick = now;
        }
        if (late > TimeUnit.MILLISECONDS.toNanos(TICK_MS)) {
            // This process itself stalled (a long GC pause, a starved machine): the time it lost is
            // not its peers' silence, and their echoes may still wait in its own event loop.
            for (int p = 0; p < n; p++) {
                heard.addAndGet(p, late);
            }
        }
        for (int p = 0; p < n; p++) {
            if (p == me) {
                continue;
            }
            String silent = null;
            synchronized (this) {
                if (stopped || unwatched[p]) {
                    continue;
                }
                if (node.isDone(p)) {
                    // It completed its run and is leaving: its silence from now on is no failure.
                    unwatched[p] = true;
                    continue;
                }
                long quiet = now - heard.get(p);
                if (quiet > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)) {
                    unwatched[p] = true;
                    silent = "it stopped answering at " + node.address(p) + ": nothing heard from it for "
                            + TimeUnit.NANOSECONDS.toMillis(quiet) / 100 / 10.0 + " s (it is stopped, hung or cut off from this process)";
                } else if (now - sent[p] >= TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS)) {
                    sent[p] = now;
                    beat(p);
                }
            }
            if (silent != null) {
                node.peerSilent(p, silent);
            }
        }
    }

    /**
     * Sends one beat to {@code p}, opening the channel or the call first if there is none (a new
     * call's first beat goes with the caller's proof, once the peer has answered the challenge).
     */
    private void beat(int p) {
        if (channels[p] == null) {
            channels[p] = node.beatChannel(p);
            if (channels[p] == null) {
                return;
            }
        }
        Echo e = calls[p];
        if (e == null) {
            ClientCall<Packet, Packet> c = channels[p].newCall(BEAT, CallOptions.DEFAULT);
            e = new Echo(p, c);
            calls[p] = e;
            c.start(e, new Metadata());
            c.request(1);
            // A new call is not ready until it has connected: its OPEN waits in gRPC for that.
            c.sendMessage(Control.open(node.protocol(), e.nonce, me));
            return;
        }
        // Not ready means the last beats still wait in the socket (the peer reads nothing):
        // adding more helps no one.
        if (e.proven && e.c.isReady()) {
            e.c.sendMessage(packet(me, node.hello().generation()));
        }
    }

    private static Packet packet(int process, long generation) {
        return new Packet(Packet.BEAT, ByteBuffer.allocate(12).putInt(process).putLong(generation).array());
    }

    /**
     * This process's beat call to one peer: once the peer proved the secret (if any), each echo is
     * a sign of life.
     */
    private final class Echo extends ClientCall.Listener<Packet> {
        private final int peer;
        private final ClientCall<Packet, Packet> c;
        private final byte[] nonce = Control.nonce();
        /** The peer answered the challenge as a member: its echoes count. Guarded by the heartbeat. */
        private boolean proven;

        Echo(int peer, ClientCall<Packet, Packet> c) {
            this.peer = peer;
            this.c = c;
        }

        @Override
        public void onMessage(Packet p) {
            synchronized (Heartbeat.this) { // beat() uses the call on the timer's thread
                if (proven) {
                    if (p.tag() == Packet.BEAT) {
                        heard.set(peer, System.nanoTime());
                    }
                    c.request(1);
                    return;
                }
                String problem = challenged(p);
                if (problem != null) {
                    if (!impostorNamed[peer] && !stopped) {
                        impostorNamed[peer] = true;
                        LOG.warn("process {}: the heartbeat to process {} at {} was answered by something that {}; its echoes are not"
                                + " taken as signs of life of process {} (a man in the middle, or another process at that address?)",
                                me, peer, node.address(peer), problem, peer);
                    }
                    c.cancel("not a member of this cluster: it " + problem, null);
                }
            }
        }

        /** Checks the peer's answer to OPEN and sends the first beat with this process's proof: null, or what was wrong. */
        private String challenged(Packet p) {
            if (p.tag() != Packet.CHALLENGE) {
                return "did not answer with a Wax heartbeat's challenge (message kind " + p.tag() + ")";
            }
            Control.Challenge ch;
            try {
                ch = Control.readChallenge(p.body());
            } catch (IOException e) {
                return "sent a challenge this process cannot read (" + e.getMessage() + ")";
            }
            String secret = node.secret();
            if (secret != null && !Control.same(ch.proof(), Control.calleeProof(secret, nonce, ch.nonce()))) {
                return "did not prove the cluster secret";
            }
            proven = true;
            byte[] beat = packet(me, node.hello().generation()).body();
            c.sendMessage(Control.hello(beat, Control.beatProof(secret, nonce, ch.nonce(), beat)));
            c.request(1);
            return null;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            // A broken call is opened again on the next beat; whether the peer is gone is for the
            // silence to say (a killed process also breaks its data streams, which say so first).
            synchronized (Heartbeat.this) {
                if (calls[peer] == this) {
                    calls[peer] = null;
                }
            }
        }
    }

    /**
     * The server's side of a peer's beat call: the callee's half of the handshake, then an echo of
     * each beat. Nothing is echoed before the caller proved the secret (if any) and its first beat
     * named a process of this run; a stranger's call is closed and its address named in the log.
     */
    ServerCall.Listener<Packet> serve(ServerCall<Packet, Packet> call, Metadata headers) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (stopped) {
            call.close(Status.UNAVAILABLE.withDescription("process " + me + " has ended"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        served.add(call);
        String secret = node.secret();
        if (secret == null) {
            // As for a data stream: nothing to prove, and a member's call cut before its first beat is no stranger's.
            node.doorman().admitted(remote);
        }
        call.request(1);
        return new ServerCall.Listener<>() {
            private byte[] nonceC;
            private byte[] nonceS;
            private boolean member;
            /** Refused: whatever it still sends is dropped unread. */
            private boolean refused;

            @Override
            public void onMessage(Packet p) {
                synchronized (call) { // close() may end the call from another thread
                    if (refused || stopped) {
                        // Closed already: by this process's end (close() sets stopped first), or as a stranger's.
                        return;
                    }
                    if (member) {
                        if (p.tag() == Packet.BEAT && call.isReady()) {
                            call.sendMessage(p);
                        }
                        call.request(1);
                        return;
                    }
                    try {
                        if (p.body().length > Control.MAX_CONTROL) {
                            stranger("sent a " + p.body().length + "-byte message before the handshake");
                        } else if (nonceC == null) {
                            if (p.tag() != Packet.OPEN) {
                                stranger("did not open a Wax heartbeat (message kind " + p.tag() + ")");
                                return;
                            }
                            Control.Open open = Control.readOpen(p.body());
                            if (open.protocol() != node.protocol()) {
                                stranger("speaks transport protocol " + open.protocol() + ", and this process " + node.protocol());
                                return;
                            }
                            if (open.nonce().length != Control.NONCE) {
                                throw new IOException("a short nonce");
                            }
                            nonceC = open.nonce();
                            nonceS = Control.nonce();
                            call.sendHeaders(new Metadata());
                            call.sendMessage(Control.challenge(nonceS, Control.calleeProof(secret, nonceC, nonceS)));
                            call.request(1);
                        } else {
                            Control.Signed signed = p.tag() == Packet.HELLO ? Control.readSigned(p.body()) : null;
                            if (signed == null) {
                                stranger("sent message kind " + p.tag() + " instead of its proof");
                            } else if (secret != null && !Control.same(signed.proof(), Control.beatProof(secret, nonceC, nonceS, signed.hello()))) {
                                stranger("did not prove the cluster secret");
                            } else if (!fromThisRun(signed.hello())) {
                                stranger("is not a process of this run (its beat names another process id or run)");
                            } else {
                                member = true;
                                node.doorman().admitted(remote);
                                call.sendMessage(new Packet(Packet.BEAT, signed.hello()));
                                call.request(1);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        stranger("sent a heartbeat this process cannot read (" + e.getMessage() + ")");
                    }
                }
            }

            /** Closes a call that never proved it belongs: it gets no echo, and its address is named here. */
            private void stranger(String what) {
                refused = true;
                LOG.warn("process {} refused a heartbeat call from {}: it {}", me, remote, what);
                node.doorman().admitted(remote); // named here: not again when its connection closes
                close(call, Status.PERMISSION_DENIED.withDescription("not a member of this cluster: it " + what));
            }

            @Override
            public void onHalfClose() {
                close(call, Status.OK);
            }

            @Override
            public void onCancel() {
                served.remove(call);
            }

            @Override
            public void onComplete() {
                served.remove(call);
            }
        };
    }

    /**
     * A first beat from a process of this run: it carries the run's generation, which only
     * processes that shook hands with this cluster know (a process that has not learnt it yet
     * accepts any).
     */
    private boolean fromThisRun(byte[] beat) {
        if (beat.length != 12) {
            return false;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(beat));
            int process = in.readInt();
            long generation = in.readLong();
            long ours = node.hello().generation();
            return process >= 0 && process < n && process != me && (ours == 0 || generation == ours);
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(ServerCall<Packet, Packet> call, Status s) {
        synchronized (call) {
            try {
                call.close(s, new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                // closed already, or the peer cancelled first
            }
        }
    }

    /** Stops beating and watching, ends every beat call in both directions, releases the channels and the thread. */
    void close() {
        ManagedChannel[] cs;
        ScheduledExecutorService t;
        synchronized (this) {
            stopped = true;
            t = timer;
            if (t != null) {
                t.shutdownNow();
            }
            for (Echo e : calls) {
                if (e != null) {
                    e.c.cancel("process " + me + " has ended", null);
                }
            }
            cs = channels.clone();
        }
        for (ServerCall<Packet, Packet> c : served) {
            close(c, Status.OK);
        }
        served.clear();
        for (ManagedChannel c : cs) {
            if (c != null) {
                c.shutdownNow();
            }
        }
        try {
            if (t != null) {
                t.awaitTermination(1, TimeUnit.SECONDS);
            }
            for (ManagedChannel c : cs) {
                if (c != null) {
                    c.awaitTermination(1, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
