package io.wax.transport.grpc.internal;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.wax.spi.monitor.CountsTraffic;
import io.wax.spi.monitor.PeerTraffic;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.TransportException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's membership of a cluster for one run: a gRPC server for the streams the peers
 * open to it ({@link Inbound}), a channel and a stream to every peer ({@link Outbound}), and the
 * state of the handshake. It forms when every stream in both directions has shaken hands; it
 * fails, and tells every peer it can reach, at the first disagreement.
 *
 * <p>After forming, a peer that half-closes its stream to this process is done (its run ended
 * everywhere it matters, and every frame it sent has been delivered); any other end of a stream is
 * the peer's failure, which the engine hears through {@link Links.Receiver#onPeerFailed}.
 */
public final class Node implements Links, CountsTraffic {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Frames one peer may have queued here, or this process queued for it, before the engine is held back. */
    static final int WINDOW = 64;
    /** The largest frame: the engine's batches stay far below it. */
    static final int MAX_MESSAGE = 256 * 1024 * 1024;
    /** How long a process that cannot listen still dials its peers, so that they learn about a duplicate id. */
    private static final long BIND_FAILURE_GRACE_MS = 3000;
    /** How long a process that failed to join waits for its peers to take its rejection (well inside the 10 s promise). */
    private static final long REJECT_GRACE_MS = 4000;
    /**
     * How long a process that failed to join keeps listening at least: a peer that has not reached
     * it yet dials again every 200 ms ({@link #retryLater}), and hears why (another transport
     * protocol, say) instead of finding nobody until its own timeout.
     */
    private static final long LINGER_MS = 1000;

    private final ClusterSpec spec;
    /** The transport protocol this node speaks: {@link Control#PROTOCOL}, another only in tests. */
    private final int protocol;
    private final int me;
    private final int n;
    private volatile Hello hello;
    private final String secret;
    private final SslContext serverTls;
    private final SslContext clientTls;
    private Server server;
    private final Doorman doorman;
    private io.grpc.netty.shaded.io.netty.channel.EventLoopGroup boss;
    private io.grpc.netty.shaded.io.netty.channel.EventLoopGroup io;
    private final Outbound[] outs;
    private final Inbound[] ins;
    /** Every call peers (or strangers) opened here that has not ended yet, accepted or not. */
    private final java.util.Set<Inbound> calls = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final boolean[] done;
    /** Peers the heartbeat found silent: nothing more is waited for from them. */
    private final boolean[] gone;
    private final Heartbeat heartbeat;
    private final ExecutorService sender;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private String failure;
    private boolean formed;
    private final Object deliverLock = new Object();
    private volatile Links.Receiver receiver;
    private final ArrayDeque<Object[]> early = new ArrayDeque<>();
    private volatile boolean closing;
    /** This process's run has completed: frames still arriving are credited at once, nobody else will. */
    private volatile boolean finished;

    public Node(ClusterSpec spec, Hello hello, SslContext serverTls, SslContext clientTls) {
        this(spec, hello, serverTls, clientTls, Control.PROTOCOL);
    }

    /** A node of another transport protocol, so that a test can play an older or newer build. */
    Node(ClusterSpec spec, Hello hello, SslContext serverTls, SslContext clientTls, int protocol) {
        this.spec = spec;
        this.protocol = protocol;
        this.me = spec.processId();
        this.n = spec.processCount();
        this.hello = hello;
        this.secret = spec.security().secret();
        this.serverTls = serverTls;
        this.clientTls = clientTls;
        this.outs = new Outbound[n];
        this.ins = new Inbound[n];
        this.done = new boolean[n];
        this.gone = new boolean[n];
        this.heartbeat = new Heartbeat(this, me, n);
        this.doorman = new Doorman(me, this::leaving);
        this.sender = Executors.newSingleThreadExecutor(r -> daemon(r, "wax-transport-send-" + me));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wax-transport-timer-" + me));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Listens, dials every peer and waits until the cluster has formed or failed. Closes everything on failure. */
    public Node connect() throws TransportException, InterruptedException {
        long deadline = System.nanoTime() + spec.connectTimeout().toNanos();
        try {
            String bindFailure = listen();
            for (int p = 0; p < n; p++) {
                if (p != me) {
                    outs[p] = new Outbound(this, p);
                    outs[p].dial();
                }
            }
            formedMaybe(); // a cluster of one process has nobody to wait for
            if (bindFailure != null) {
                // Dial anyway, briefly: a process that already listens there hears about the duplicate.
                awaitFormed(Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BIND_FAILURE_GRACE_MS)));
                fail(bindFailure);
            }
            awaitFormed(deadline);
            synchronized (lock) {
                if (failure != null) {
                    throw new TransportException(failure);
                }
                if (!formed) {
                    throw new TransportException(notAnswered());
                }
            }
            heartbeat.start();
            if (secret == null && serverTls == null) {
                LOG.warn("cluster port {} accepts anyone: set WAX_CLUSTER_SECRET (or --cluster-secret-file), or --tls-cert/--tls-key/--tls-ca,"
                        + " on every process to admit only members", port(spec.addresses().get(me)));
            }
            return this;
        } catch (TransportException | InterruptedException | RuntimeException e) {
            String why;
            synchronized (lock) {
                if (failure == null) {
                    failure = e.getMessage();
                }
                why = failure;
            }
            String rejection = "process " + me + " failed to join: " + why;
            for (Outbound o : outs) {
                if (o != null) {
                    o.reject(rejection);
                }
            }
            for (Inbound i : calls) {
                i.close(Status.FAILED_PRECONDITION.withDescription(rejection));
            }
            // Let the peers hear it before the sockets go: a peer that never gets the rejection
            // dials a process that is gone until its own timeout, and then blames the wrong thing.
            boolean interrupted = false;
            long now = System.nanoTime();
            try {
                awaitQuiet(now + (server == null ? 0 : TimeUnit.MILLISECONDS.toNanos(LINGER_MS)),
                        now + TimeUnit.MILLISECONDS.toNanos(REJECT_GRACE_MS));
            } catch (InterruptedException again) {
                interrupted = true;
            }
            shutdown(2000);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    private String notAnswered() {
        List<String> silent = new ArrayList<>();
        List<String> oneWay = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            if (p == me) {
                continue;
            }
            String who = p + " (" + spec.addresses().get(p) + ")";
            if (!outs[p].established()) {
                silent.add(outs[p].lastProblem == null ? who : who + " [" + outs[p].lastProblem + "]");
            } else if (ins[p] == null) {
                oneWay.add(who);
            }
        }
        StringBuilder b = new StringBuilder("the cluster did not form within " + spec.connectTimeout().toSeconds() + " s:");
        if (!silent.isEmpty()) {
            b.append(" process").append(silent.size() > 1 ? "es " : " ").append(String.join(", ", silent)).append(" never answered");
        }
        if (!oneWay.isEmpty()) {
            b.append(silent.isEmpty() ? "" : ";").append(" process").append(oneWay.size() > 1 ? "es " : " ")
                    .append(String.join(", ", oneWay)).append(" answered but never reached this process (a firewall? a wrong address for process ")
                    .append(me).append(" in its -a?)");
        }
        return b.append("; start every process with the same -a, or give them longer with --cluster-timeout").toString();
    }

    /**
     * Waits until every call in either direction has ended (the peer took the rejection and hung
     * up, or was never there) and {@code lingered} has passed, or the deadline.
     */
    private void awaitQuiet(long lingered, long deadline) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                boolean quiet = calls.isEmpty();
                for (Outbound o : outs) {
                    quiet &= o == null || o.quiet();
                }
                long now = System.nanoTime();
                if (quiet && now - lingered >= 0 || now - deadline >= 0) {
                    return;
                }
                // Woken by every call that ends; the linger itself ends on the clock.
                TimeUnit.NANOSECONDS.timedWait(lock, quiet ? lingered - now : deadline - now);
            }
        }
    }

    void callOpened(Inbound i) {
        calls.add(i);
    }

    /** A call in either direction ended: someone may be waiting for quiet. */
    void callEnded(Inbound i) {
        if (i != null) {
            calls.remove(i);
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void awaitFormed(long deadline) throws InterruptedException {
        synchronized (lock) {
            while (failure == null && !formed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /**
     * Starts the server; returns why it could not listen because the port is taken, or null. Any
     * other failure throws; {@link #connect} then releases what was made here (event loops,
     * their selectors and threads).
     */
    private String listen() throws TransportException {
        String address = spec.addresses().get(me);
        int port = port(address);
        InetSocketAddress bind = bindAddress(address, port);
        ServerCallHandler<Packet, Packet> handler = (call, headers) -> new Inbound(this, call);
        NettyServerBuilder b = NettyServerBuilder.forAddress(bind)
                .directExecutor()
                .addService(ServerServiceDefinition.builder("wax.Cluster").addMethod(Packet.LINK, handler)
                        .addMethod(Heartbeat.BEAT, heartbeat::serve).build())
                .maxInboundMessageSize(MAX_MESSAGE)
                .keepAliveTime(1, TimeUnit.SECONDS)
                .keepAliveTimeout(2, TimeUnit.SECONDS)
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        try {
            // Own event loops and server channel, so that the doorman sees every connection (and names strangers).
            boss = new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(1,
                    new io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory("wax-transport-accept-" + me, true));
            io = new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(2,
                    new io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory("wax-transport-io-" + me, true));
            b.channelFactory(doorman::newChannel).bossEventLoopGroup(boss).workerEventLoopGroup(io);
            if (serverTls != null) {
                b.sslContext(serverTls);
            }
            server = b.build().start();
            return null;
        } catch (RuntimeException e) {
            // Netty could not open a selector (too many open files), gRPC refused a setting, ...
            throw new TransportException("process " + me + " cannot listen on " + address + ": " + e.getMessage(), e);
        } catch (IOException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            // Only "in use": a BindException also says "Cannot assign requested address" or "Permission denied".
            if (String.valueOf(c.getMessage()).contains("in use")) {
                return "process " + me + " cannot listen on port " + port + " (its address " + address + " in -a): the port is in use;"
                        + " is another process already running as -i" + me + "?";
            }
            throw new TransportException("process " + me + " cannot listen on " + address + ": " + c.getMessage(), e);
        }
    }

    /**
     * A loopback address is listened on as given (nothing else can reach it anyway); any other on
     * every interface, since the name other machines use for this one may not be one it can bind
     * (a NAT, a Kubernetes service name).
     */
    private static InetSocketAddress bindAddress(String address, int port) {
        String host = host(address);
        try {
            InetAddress a = InetAddress.getByName(host);
            if (a.isLoopbackAddress()) {
                return new InetSocketAddress(a, port);
            }
        } catch (IOException unknownYet) {
            // resolvable later, or never: every interface then
        }
        return new InetSocketAddress(port);
    }

    /**
     * A channel to peer {@code p}, its name resolved now (a peer whose name does not exist yet, a
     * pod not yet started, is dialled again later), or null when it cannot be resolved yet.
     */
    ManagedChannel channel(int p) {
        String address = spec.addresses().get(p);
        InetSocketAddress target = new InetSocketAddress(host(address), port(address));
        if (target.isUnresolved()) {
            outs[p].lastProblem = "its host name '" + host(address) + "' cannot be resolved";
            return null;
        }
        return channelTo(target);
    }

    /** A channel of its own for the heartbeat to peer {@code p} (its own connection: see {@link Heartbeat}), or null. */
    ManagedChannel beatChannel(int p) {
        String address = spec.addresses().get(p);
        InetSocketAddress target = new InetSocketAddress(host(address), port(address));
        return target.isUnresolved() ? null : channelTo(target);
    }

    private ManagedChannel channelTo(InetSocketAddress target) {
        // An address, not a target string: no name resolver is looked up (a ServiceLoader lookup, which OSGi breaks).
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(target)
                // This node's own event loops, not gRPC's shared ones: those outlive the node by a
                // second, and a thread of this bundle still running when the framework stops fails
                // with NoClassDefFoundError on stderr (seen under load as a process exited).
                .eventLoopGroup(io)
                .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class)
                .directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE)
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(3, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true);
        if (clientTls != null) {
            b.sslContext(clientTls);
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    static String host(String address) {
        String h = address.substring(0, address.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    String address(int p) {
        return spec.addresses().get(p);
    }

    int protocol() {
        return protocol;
    }

    /**
     * A process of another transport protocol dialled this one ({@code problem} names it). Before
     * the cluster formed, that fails this process too, unless the connection is unauthenticated
     * under a cluster secret (the secret is proven only after OPEN, in this protocol's own terms,
     * and a stranger must not be able to stop a cluster from forming): then this process learns of
     * the mismatch from its own dial to that peer, which answers the same way.
     */
    void otherProtocolCalled(String problem) {
        synchronized (lock) {
            if (formed || secret != null && serverTls == null) {
                return;
            }
        }
        fail(problem);
    }

    Doorman doorman() {
        return doorman;
    }

    String secret() {
        return secret;
    }

    ExecutorService sender() {
        return sender;
    }

    /** Closing, or failed to join: connections cut from now on are not strangers'. */
    private boolean leaving() {
        return closing || failed();
    }

    boolean closing() {
        return closing;
    }

    boolean failed() {
        synchronized (lock) {
            return failure != null;
        }
    }

    void retryLater(Outbound o) {
        if (!closing) {
            try {
                timer.schedule(o::dial, 200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                // closing
            }
        }
    }

    /** A peer's answer on this process's stream to it: true if it agrees. */
    boolean acceptOutbound(int peer, Hello theirs) {
        synchronized (lock) {
            if (failure != null) {
                return false;
            }
            learnGeneration(theirs);
            List<String> d = hello.differences(theirs, peer);
            if (!d.isEmpty()) {
                fail("process " + me + " and process " + peer + " (" + address(peer) + ") disagree: " + String.join("; ", d));
                return false;
            }
            return true;
        }
    }

    /** A caller's hello, after it proved itself: null if it agrees, else the problem (which fails this process too). */
    String acceptInbound(Inbound in, Hello theirs) {
        synchronized (lock) {
            if (failure != null) {
                return failure;
            }
            int p = theirs.processId();
            String problem = null;
            if (p >= 0 && p < n && p != me && ins[p] != null && ins[p] != in) {
                problem = "process id: two processes both claim id " + p + " (one connected from " + ins[p].remote
                        + ", another from " + in.remote + "); give each process its own -i";
            } else {
                learnGeneration(theirs);
                List<String> d = hello.differences(theirs, -1);
                if (!d.isEmpty()) {
                    problem = "process " + me + " and process " + p + " (connected from " + in.remote + ") disagree: " + String.join("; ", d);
                } else if (p < 0 || p >= n) {
                    problem = "a process claims id " + p + ", which is not an index of " + n + " addresses";
                }
            }
            if (problem != null) {
                fail(problem);
                return problem;
            }
            ins[p] = in;
            return null;
        }
    }

    private void learnGeneration(Hello theirs) {
        if (theirs.processId() == 0 && me != 0 && hello.generation() == 0) {
            hello = hello.withGeneration(theirs.generation());
        }
    }

    void formedMaybe() {
        synchronized (lock) {
            for (int p = 0; p < n; p++) {
                if (p != me && (!outs[p].established() || ins[p] == null || !ins[p].established())) {
                    return;
                }
            }
            formed = true;
            lock.notifyAll();
        }
    }

    void fail(String reason) {
        synchronized (lock) {
            if (failure == null) {
                failure = reason;
            }
            lock.notifyAll();
        }
    }

    void peerDone(int peer) {
        synchronized (lock) {
            done[peer] = true;
        }
    }

    boolean isDone(int peer) {
        return done(peer);
    }

    private boolean gone(int peer) {
        synchronized (lock) {
            return gone[peer];
        }
    }

    /**
     * The heartbeat heard nothing from {@code peer} for too long: it failed, though its
     * connections look open. Its streams would end only with gRPC's keepalive (10 s and more):
     * they end now, so that neither {@link #finish} nor {@link #close} waits for it.
     */
    void peerSilent(int peer, String why) {
        Inbound in;
        synchronized (lock) {
            gone[peer] = true;
            in = ins[peer];
        }
        linkEnded(peer, why);
        outs[peer].cancel(why);
        if (in != null) {
            in.abandon(why);
        }
    }

    private boolean done(int peer) {
        synchronized (lock) {
            return done[peer];
        }
    }

    /** A stream to or from {@code peer} ended without the peer being done: the peer failed. */
    void linkEnded(int peer, String why) {
        if (closing || done(peer)) {
            return;
        }
        boolean isFormed;
        synchronized (lock) {
            isFormed = formed;
        }
        String reason = "process " + peer + " (" + address(peer) + ") is gone: " + why;
        if (!isFormed) {
            fail(reason);
            return;
        }
        synchronized (deliverLock) {
            if (receiver != null) {
                receiver.onPeerFailed(peer, why);
            } else {
                early.add(new Object[] {peer, null, why});
            }
        }
    }

    void deliver(int peer, byte[] frame) {
        if (closing) {
            return;
        }
        Links.Receiver r = receiver;
        if (r != null) {
            r.onFrame(peer, frame);
            if (finished) {
                ins[peer].request(1);
            }
            return;
        }
        synchronized (deliverLock) {
            if (receiver != null) {
                receiver.onFrame(peer, frame);
            } else {
                early.add(new Object[] {peer, frame, null});
            }
        }
    }

    private List<Inbound> inboundCalls() {
        synchronized (lock) {
            List<Inbound> l = new ArrayList<>();
            for (Inbound i : ins) {
                if (i != null) {
                    l.add(i);
                }
            }
            return l;
        }
    }

    /**
     * Data frames and their bytes per peer, as gRPC messages (a frame plus {@link Packet#OVERHEAD}):
     * HTTP/2's 9-byte frame headers, TLS and the handshake are not counted.
     */
    @Override
    public List<PeerTraffic> traffic() {
        List<PeerTraffic> l = new ArrayList<>(n - 1);
        for (int p = 0; p < n; p++) {
            if (p != me) {
                Outbound o = outs[p];
                Inbound i = ins[p];
                l.add(new PeerTraffic(p, o == null ? 0 : o.bytesSent, o == null ? 0 : o.framesSent,
                        i == null ? 0 : i.bytesReceived, i == null ? 0 : i.framesReceived));
            }
        }
        return l;
    }

    @Override
    public int processId() {
        return me;
    }

    @Override
    public int processCount() {
        return n;
    }

    @Override
    public Hello hello() {
        return hello;
    }

    @Override
    public void start(Links.Receiver r) {
        synchronized (deliverLock) {
            if (receiver != null) {
                throw new IllegalStateException("started twice");
            }
            while (!early.isEmpty()) {
                Object[] e = early.poll();
                if (e[1] != null) {
                    r.onFrame((Integer) e[0], (byte[]) e[1]);
                } else {
                    r.onPeerFailed((Integer) e[0], (String) e[2]);
                }
            }
            receiver = r;
        }
    }

    @Override
    public void send(int peer, byte[] frame) {
        // Even to a peer that is done sending: it still reads (a failure report may yet matter to it).
        outs[peer].send(frame);
    }

    @Override
    public boolean writable(int peer) {
        return outs[peer].queued.get() < WINDOW;
    }

    @Override
    public void consumed(int peer) {
        Inbound i = ins[peer];
        if (i != null) {
            i.request(1);
        }
    }

    void inboundEnded() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public void finish() throws TransportException, InterruptedException {
        finished = true;
        for (Inbound i : inboundCalls()) {
            i.request(WINDOW); // the engine consumes no more: never hold a peer back now
        }
        for (Outbound o : outs) {
            if (o != null) {
                o.finish();
            }
        }
        synchronized (lock) {
            while (true) {
                if (closing) {
                    // Closed under this wait: a swap of the transport closes a run's links from the
                    // thread that unbinds it, and cancelling the peers' calls here marks none over.
                    throw new TransportException("this process's links were closed (its transport is going) before every peer had completed");
                }
                boolean all = true;
                for (int p = 0; p < n; p++) {
                    if (p != me && !ins[p].over()) {
                        all = false;
                    }
                }
                if (all) {
                    break;
                }
                lock.wait();
            }
        }
        for (int p = 0; p < n; p++) {
            if (p != me && !ins[p].finished()) {
                throw new TransportException("process " + p + " (" + address(p) + ") did not complete its run: " + ins[p].endReason());
            }
        }
    }

    /**
     * Sends what is queued, half-closes every stream, waits for the peers to close them in turn
     * (bounded), then releases the server, channels and threads.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Outbound o : outs) {
            if (o != null) {
                o.requestClose();
            }
        }
        try {
            for (Outbound o : outs) {
                if (o != null && !gone(o.peer) && !o.awaitDrained(deadline)) {
                    LOG.warn("process {} did not take every frame of process {} in time", o.peer, me);
                }
            }
            long ended = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            for (Outbound o : outs) {
                if (o != null && !gone(o.peer)) {
                    o.awaitEnded(ended);
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        closing = true;
        inboundEnded(); // wakes a finish() waiting for peers that will now never be over
        for (Inbound i : inboundCalls()) {
            if (!i.halfClosed()) {
                i.close(Status.CANCELLED.withDescription("process " + me + " has ended"));
            }
        }
        boolean anyGone = false;
        for (int p = 0; p < n; p++) {
            anyGone |= gone(p);
        }
        // A silent peer never answers a graceful goodbye: waiting for it would only spend the 5 s fate sharing has.
        shutdown(anyGone ? 200 : 2000);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown(long graceMs) {
        closing = true;
        inboundEnded();
        timer.shutdownNow();
        heartbeat.close(); // first: the beat calls peers opened here would hold the server's graceful shutdown
        ManagedChannel[] channels = new ManagedChannel[n];
        for (int p = 0; p < n; p++) {
            channels[p] = outs[p] == null ? null : outs[p].channel();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
        for (ManagedChannel c : channels) {
            if (c != null) {
                c.shutdown();
            }
        }
        if (server != null) {
            server.shutdown();
        }
        try {
            for (ManagedChannel c : channels) {
                if (c != null && !c.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    c.shutdownNow();
                }
            }
            if (server != null && !server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
            for (ManagedChannel c : channels) {
                if (c != null) {
                    c.awaitTermination(1, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            for (ManagedChannel c : channels) {
                if (c != null) {
                    c.shutdownNow();
                }
            }
            if (server != null) {
                server.shutdownNow();
            }
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
        timer.shutdownNow();
        for (io.grpc.netty.shaded.io.netty.channel.EventLoopGroup g : new io.grpc.netty.shaded.io.netty.channel.EventLoopGroup[] {boss, io}) {
            if (g != null) {
                g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
        }
    }

    static String describe(Status s) {
        return s.getCode() + (s.getDescription() == null ? "" : " (" + s.getDescription() + ")")
                + (s.getCause() == null ? "" : ": " + s.getCause().getMessage());
    }
}
