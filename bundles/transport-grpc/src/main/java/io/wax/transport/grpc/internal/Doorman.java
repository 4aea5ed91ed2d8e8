package io.wax.transport.grpc.internal;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server socket of a process: it watches every connection it accepts, and when one closes
 * without a member's completed handshake, it names the address in the log. Without a cluster
 * secret, a connection that opened a Wax link counts as a member's (one that closes before its
 * hello stalled under load or dialled again; there was nothing to prove).
 * That covers what never reaches an {@link Inbound}: a plain TCP client, a client without a
 * certificate or with one from another CA (the TLS handshake fails first), garbage instead of
 * HTTP/2.
 */
final class Doorman {
    private static final Logger LOG = LoggerFactory.getLogger(Doorman.class);

    /** Remote addresses of connections of members, or of strangers already named by {@link Inbound}. */
    private final Set<SocketAddress> known = ConcurrentHashMap.newKeySet();
    private final int me;
    /** True once the process is leaving the cluster: connections cut then are its own doing. */
    private final java.util.function.BooleanSupplier leaving;

    Doorman(int me, java.util.function.BooleanSupplier leaving) {
        this.me = me;
        this.leaving = leaving;
    }

    void admitted(SocketAddress remote) {
        if (remote != null) {
            known.add(remote);
        }
    }

    /** A server socket channel whose accepted connections the doorman watches. */
    NioServerSocketChannel newChannel() {
        NioServerSocketChannel ch = new NioServerSocketChannel();
        ch.pipeline().addLast(new Watch());
        return ch;
    }

    @ChannelHandler.Sharable
    private final class Watch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                SocketAddress remote = child.remoteAddress();
                child.closeFuture().addListener(f -> {
                    if (remote != null && !known.remove(remote) && !leaving.getAsBoolean()) {
                        LOG.warn("process {} closed a connection from {} that never proved it belongs to the cluster"
                                + " (no Wax handshake: a plain TCP client, a wrong or missing TLS certificate, or a stranger)", me, remote);
                    }
                });
            }
            ctx.fireChannelRead(msg);
        }
    }
}
