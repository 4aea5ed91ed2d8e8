package io.wax.transport.grpc.internal;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.wax.spi.transport.Hello;
import java.io.IOException;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream some caller opened to this process: the callee's half of the handshake, then the
 * frames of the peer it turned out to be. Nothing the caller sends reaches the node before it
 * proved the secret (when there is one) and its hello agreed; a stranger is closed and named in
 * the log. Inbound credit is gRPC's manual flow control: {@link Node#WINDOW} messages at first,
 * then one more each time the engine has consumed a frame.
 */
final class Inbound extends ServerCall.Listener<Packet> {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    private final Node node;
    private final ServerCall<Packet, Packet> call;
    final SocketAddress remote;
    private byte[] nonceC;
    private byte[] nonceS;
    private boolean opened;
    volatile int peer = -1;
    private volatile boolean established;
    private volatile boolean halfClosed;
    /** The peer's run completed (it sent FINISHED). */
    private volatile boolean finished;
    /** The stream has ended, one way or another. */
    private volatile boolean over;
    private volatile String endReason;
    volatile long framesReceived;
    volatile long bytesReceived;
    private boolean closed;

    Inbound(Node node, ServerCall<Packet, Packet> call) {
        this.node = node;
        this.call = call;
        this.remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        node.callOpened(this);
        if (node.secret() == null) {
            // A call of the Wax link over HTTP/2 (and TLS, if any, passed), and no secret to prove: a
            // close before the hello is a member that gave up the attempt (it failed first, or stalled
            // under load and dialled again), not a stranger for the doorman to warn about. With a
            // secret, it may be one that could not prove it, and is named when it goes.
            node.doorman().admitted(remote);
        }
        call.request(1);
    }

    boolean established() {
        return established;
    }

    boolean halfClosed() {
        return halfClosed;
    }

    boolean finished() {
        return finished;
    }

    boolean over() {
        return over;
    }

    String endReason() {
        return endReason;
    }

    private void end(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
        over = true;
        node.inboundEnded();
    }

    /** The peer stopped answering (see {@link Heartbeat}): this stream ends now, not when gRPC's keepalive notices. */
    void abandon(String why) {
        close(Status.UNAVAILABLE.withDescription(why));
        end(why);
    }

    void request(int n) {
        call.request(n);
    }

    @Override
    public void onMessage(Packet p) {
        if (established) {
            if (p.tag() == Packet.DATA) {
                framesReceived++; // one call's messages arrive on one thread, one at a time
                bytesReceived += p.body().length + Packet.OVERHEAD;
                node.deliver(peer, p.body());
            } else if (p.tag() == Packet.FINISHED) {
                finished = true;
            } else if (p.tag() == Packet.REJECT) {
                String why;
                try {
                    why = Control.readReject(p.body());
                } catch (IOException e) {
                    why = "(unreadable)";
                }
                endReason = "it stopped: " + why;
                node.linkEnded(peer, endReason);
                call.request(1);
            }
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (p.body().length > Control.MAX_CONTROL) {
                    stranger("sent a " + p.body().length + "-byte message before the handshake");
                } else if (!opened) {
                    if (p.tag() != Packet.OPEN) {
                        stranger("did not open a Wax cluster link");
                        return;
                    }
                    opened = true;
                    Control.Open open = Control.readOpen(p.body());
                    if (open.protocol() != node.protocol()) {
                        otherProtocol(open);
                        return;
                    }
                    if (open.nonce().length != Control.NONCE) {
                        throw new IOException("a short nonce");
                    }
                    nonceC = open.nonce();
                    nonceS = Control.nonce();
                    call.sendHeaders(new Metadata());
                    call.sendMessage(Control.challenge(nonceS, Control.calleeProof(node.secret(), nonceC, nonceS)));
                    call.request(1);
                } else {
                    onHello(p);
                }
            } catch (IOException | RuntimeException e) {
                stranger("sent a handshake this process cannot read (" + e.getMessage() + ")");
            }
        }
    }

    private void onHello(Packet p) throws IOException {
        if (p.tag() == Packet.REJECT) {
            close(Status.CANCELLED.withDescription("rejected"));
            return;
        }
        if (p.tag() != Packet.HELLO) {
            stranger("sent message kind " + p.tag() + " instead of a hello");
            return;
        }
        Control.Signed signed = Control.readSigned(p.body());
        String secret = node.secret();
        if (secret != null && !Control.same(signed.proof(), Control.callerProof(secret, nonceC, nonceS, signed.hello()))) {
            stranger("did not prove the cluster secret");
            return;
        }
        if (secret == null && signed.proof().length > 0) {
            stranger("proves a cluster secret and this process has none");
            return;
        }
        // It proved the secret (or there is none to prove): a member, whatever its hello says.
        node.doorman().admitted(remote);
        Hello theirs = Control.decode(signed.hello());
        // Answer with this process's hello even on a mismatch: the caller then names the difference in its own words.
        call.sendMessage(Control.hello(Control.encode(node.hello()), new byte[0]));
        String problem = node.acceptInbound(this, theirs);
        if (problem != null) {
            close(Status.FAILED_PRECONDITION.withDescription(problem));
            return;
        }
        peer = theirs.processId();
        established = true;
        call.request(Node.WINDOW);
        node.formedMaybe();
    }

    /**
     * A Wax process of another transport protocol (an older or newer build): it is told this
     * process's protocol in the one message every version reads, and both sides fail naming both.
     */
    private void otherProtocol(Control.Open open) {
        String who = open.process() >= 0 ? "process " + open.process() + " (connecting from " + remote + ")"
                : "a process connecting from " + remote;
        String problem = Control.otherProtocol(who, open.protocol(), node.processId(), node.protocol());
        LOG.warn("refused a connection: {}", problem);
        node.doorman().admitted(remote); // named here: not again when its connection closes
        call.sendHeaders(new Metadata());
        call.sendMessage(Control.otherProtocol(node.protocol()));
        close(Status.FAILED_PRECONDITION.withDescription(problem));
        node.otherProtocolCalled(problem);
    }

    /** Closes a connection that never proved it belongs: nothing it sent goes further. */
    private void stranger(String what) {
        LOG.warn("refused a connection from {}: it {}", remote, what);
        node.doorman().admitted(remote); // named here: not again when its connection closes
        close(Status.PERMISSION_DENIED.withDescription("not a member of this cluster: it " + what));
    }

    synchronized void close(Status status) {
        if (!closed) {
            closed = true;
            try {
                call.close(status, new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                // gRPC closed it first (the peer cancelled)
            }
        }
    }

    @Override
    public void onHalfClose() {
        if (established) {
            // Every frame before the half-close has been delivered: the peer is done with this process.
            if (!finished) {
                // It ended without completing its run: its own failure report (a frame) came first, if it could send one.
                node.linkEnded(peer, "it ended without completing its run");
            }
            halfClosed = true;
            node.peerDone(peer);
            close(Status.OK);
            end(finished ? null : "it ended without completing its run");
        } else {
            close(Status.CANCELLED.withDescription("closed during the handshake"));
        }
    }

    /** The call ended on the wire: its status (a rejection, say) has gone out. */
    @Override
    public void onComplete() {
        node.callEnded(this);
    }

    @Override
    public void onCancel() {
        synchronized (this) {
            closed = true;
        }
        node.callEnded(this);
        if (established && !halfClosed) {
            String why = "the connection from it broke (it was killed, crashed or stopped answering)";
            node.linkEnded(peer, why);
            end(why);
        }
    }
}
