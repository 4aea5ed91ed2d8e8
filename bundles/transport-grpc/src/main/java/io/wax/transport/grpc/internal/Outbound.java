package io.wax.transport.grpc.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.wax.spi.transport.Hello;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This process's stream to one peer: it dials, runs the caller's half of the handshake, then
 * carries this process's frames for that peer. Frames wait in a queue that {@link #drain} empties
 * into gRPC only while the call {@code isReady()}, so gRPC's own buffer stays small and the
 * queue's length is the backpressure signal ({@link Node#writable}). Worker threads only enqueue:
 * the draining happens on the node's sender thread or on gRPC's {@code onReady}.
 */
final class Outbound {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbound.class);
    private final Node node;
    final int peer;
    /** Made anew for each dial before the handshake, so that the peer's name is resolved again. */
    private volatile ManagedChannel channel;
    /** Why the last dial could not even start, for the timeout's message. */
    volatile String lastProblem;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    /** Frames queued and not yet handed to gRPC. */
    final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Data frames handed to gRPC and their bytes as gRPC sends them; written only inside {@link #drain}, read by the figures. */
    volatile long framesSent;
    volatile long bytesSent;
    /** The current attempt's call: a dial that fails before the handshake is retried with a new one. */
    private ClientCall<Packet, Packet> call;
    private byte[] nonce;
    private volatile boolean established;
    private volatile boolean closeRequested;
    private volatile boolean halfClosed;
    private volatile boolean ended;
    /** A call is open (from its start to its onClose). */
    private volatile boolean live;
    /** A Wax process at the peer's address has answered a handshake of this link once. */
    private volatile boolean heardFrom;
    /** This process's run completed: the stream ends with FINISHED, not just a half-close. */
    private volatile boolean finishing;

    Outbound(Node node, int peer) {
        this.node = node;
        this.peer = peer;
    }

    synchronized ManagedChannel channel() {
        return channel;
    }

    boolean established() {
        return established;
    }

    boolean ended() {
        return ended;
    }

    /** No call of this link is open: whatever this process told the peer has been taken, or there was nobody to tell. */
    boolean quiet() {
        return !live;
    }

    /** Dials (again): a new call, then OPEN. */
    synchronized void dial() {
        if (node.failed() || closeRequested || node.closing()) {
            return;
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        channel = node.channel(peer);
        if (channel == null) {
            node.retryLater(this);
            return;
        }
        nonce = Control.nonce();
        ClientCall<Packet, Packet> c = channel.newCall(Packet.LINK, CallOptions.DEFAULT);
        call = c;
        live = true;
        c.start(new Listener(c), new Metadata());
        c.request(1);
        c.sendMessage(Control.open(node.protocol(), nonce, node.processId()));
    }

    void send(byte[] frame) {
        queue.add(frame);
        queued.incrementAndGet();
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (established && drainScheduled.compareAndSet(false, true)) {
            node.sender().execute(this::drain);
        }
    }

    /** Hands queued frames to gRPC while it is ready for them; half-closes once asked to and empty. */
    synchronized void drain() {
        drainScheduled.set(false);
        if (!established || halfClosed || ended) {
            return;
        }
        try {
            while (call.isReady()) {
                byte[] f = queue.poll();
                if (f == null) {
                    break;
                }
                call.sendMessage(new Packet(Packet.DATA, f));
                queued.decrementAndGet();
                framesSent++;
                bytesSent += f.length + Packet.OVERHEAD;
            }
            if (closeRequested && queue.isEmpty()) {
                if (finishing) {
                    call.sendMessage(new Packet(Packet.FINISHED, new byte[0]));
                }
                call.halfClose();
                halfClosed = true;
            }
        } catch (IllegalStateException cancelled) {
            // This process cancelled the call after the checks above (its peer was found gone, or it
            // is closing): nothing more can go to that peer, and a sender thread must not die of it.
            halfClosed = true;
        }
        notifyAll();
    }

    /** Ends the stream with FINISHED once every queued frame is sent. */
    void finish() {
        finishing = true;
        requestClose();
    }

    /** Asks for a half-close once every queued frame is sent (or at once, before the handshake ended). */
    void requestClose() {
        closeRequested = true;
        synchronized (this) {
            if (!established && call != null && !ended) {
                call.cancel("this process is closing", null);
            }
        }
        drainScheduled.set(true);
        node.sender().execute(this::drain);
    }

    /** Tells the peer why this process will not join (during the handshake), then ends the stream. */
    synchronized void reject(String reason) {
        closeRequested = true;
        if (call == null || ended || halfClosed) {
            return;
        }
        if (established) {
            call.sendMessage(Control.reject(reason));
            call.halfClose();
            halfClosed = true;
        } else {
            call.cancel(reason, null);
        }
    }

    /** Waits until everything queued is handed to gRPC and the stream is half-closed, or the deadline. */
    synchronized boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        while (!(halfClosed || ended || !established)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until the peer has closed the stream (after our half-close), or the deadline. */
    synchronized boolean awaitEnded(long deadlineNanos) throws InterruptedException {
        while (!ended && established) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized void cancel(String why) {
        if (call != null && !ended) {
            call.cancel(why, null);
        }
    }

    /** Nothing listens at the address (any more): the connection was refused. */
    private static boolean refused(Status s) {
        for (Throwable t = s.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private final class Listener extends ClientCall.Listener<Packet> {
        private final ClientCall<Packet, Packet> c;
        private boolean challenged;
        private boolean answered;

        Listener(ClientCall<Packet, Packet> c) {
            this.c = c;
        }

        @Override
        public void onMessage(Packet p) {
            LOG.trace("link {} -> {}: message kind {}", node.processId(), peer, p.tag());
            synchronized (Outbound.this) {
                if (c != call) {
                    return;
                }
                try {
                    if (!challenged) {
                        challenged = true;
                        onChallenge(p);
                    } else if (!answered) {
                        answered = true;
                        onHello(p);
                    }
                } catch (IOException | RuntimeException e) {
                    node.fail("process " + peer + " at " + node.address(peer) + " answered the handshake with something"
                            + " this process cannot read (" + e.getMessage() + "): is it a Wax process of the same version?");
                    c.cancel("bad handshake", null);
                }
            }
        }

        private void onChallenge(Packet p) throws IOException {
            if (p.tag() == Packet.OTHER_PROTOCOL) {
                node.fail(Control.otherProtocol("process " + peer + " (" + node.address(peer) + ")", Control.readOtherProtocol(p.body()),
                        node.processId(), node.protocol()));
                c.cancel("another transport protocol", null);
                return;
            }
            if (p.tag() != Packet.CHALLENGE) {
                throw new IOException("expected a challenge, got message kind " + p.tag());
            }
            Control.Challenge ch = Control.readChallenge(p.body());
            String secret = node.secret();
            if (secret == null && ch.proof().length > 0) {
                node.fail("process " + peer + " at " + node.address(peer) + " uses a cluster secret and this process has none:"
                        + " give every process the same secret (WAX_CLUSTER_SECRET or --cluster-secret-file)");
                c.cancel("no secret", null);
                return;
            }
            if (secret != null && !Control.same(ch.proof(), Control.calleeProof(secret, nonce, ch.nonce()))) {
                node.fail("process " + peer + " at " + node.address(peer) + " did not prove the cluster secret"
                        + (ch.proof().length == 0 ? " (it has none)" : " (it has another one)")
                        + ": give every process the same secret (WAX_CLUSTER_SECRET or --cluster-secret-file)");
                c.cancel("wrong secret", null);
                return;
            }
            byte[] hello = Control.encode(node.hello());
            c.sendMessage(Control.hello(hello, Control.callerProof(secret, nonce, ch.nonce(), hello)));
            c.request(1);
        }

        private void onHello(Packet p) throws IOException {
            if (p.tag() != Packet.HELLO) {
                throw new IOException("expected a hello, got message kind " + p.tag());
            }
            Hello theirs = Control.decode(Control.readSigned(p.body()).hello());
            if (node.acceptOutbound(peer, theirs)) {
                established = true;
                c.request(1);
                node.formedMaybe();
                drainScheduled.set(true);
                node.sender().execute(Outbound.this::drain);
            } else {
                c.cancel("mismatch", null);
            }
        }

        @Override
        public void onReady() {
            if (established) {
                scheduleDrain();
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            LOG.debug("link {} -> {} closed: {}", node.processId(), peer, Node.describe(status));
            boolean wasEstablished;
            synchronized (Outbound.this) {
                if (c != call) {
                    return;
                }
                wasEstablished = established;
                ended = true;
                live = false;
                Outbound.this.notifyAll();
            }
            node.callEnded(null);
            if (!wasEstablished) {
                beforeHandshake(status);
            } else if (!status.isOk() || !halfClosed) {
                node.linkEnded(peer, "the connection to it broke (it was killed, crashed or stopped answering; "
                        + Node.describe(status) + ")");
            }
        }

        private void beforeHandshake(Status status) {
            if (closeRequested || node.failed()) {
                return;
            }
            switch (status.getCode()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> {
                    if (heardFrom && refused(status)) {
                        // A Wax process answered there, and now nothing listens: it refused this process or
                        // failed for a reason of its own, and ended. Dialling on would only wait out the
                        // timeout, and then blame a process that did answer.
                        node.fail("process " + peer + " at " + node.address(peer) + " answered this process's handshake, then"
                                + " stopped listening before the cluster formed (" + Node.describe(status) + "): it refused this"
                                + " process or failed; its own error says why");
                        return;
                    }
                    if (challenged) {
                        heardFrom = true; // a stall cut the handshake (a keepalive): dial again, it may still be there
                    }
                    lastProblem = Node.describe(status);
                    synchronized (Outbound.this) {
                        ended = false;
                    }
                    node.retryLater(Outbound.this);
                }
                case PERMISSION_DENIED, FAILED_PRECONDITION -> node.fail("process " + peer + " at " + node.address(peer)
                        + " refused this process: " + status.getDescription());
                default -> node.fail("process " + peer + " at " + node.address(peer) + " ended the handshake: "
                        + Node.describe(status));
            }
        }
    }
}
