package io.wax.transport.grpc;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import io.wax.transport.grpc.internal.Node;
import io.wax.transport.grpc.internal.Tls;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cluster transport between processes and machines: every process listens on its own address
 * of {@code -a} and opens one gRPC bidirectional stream to every other, which carries its frames
 * for that peer as {@code byte[]} (no protobuf object per item). Servers and channels are built
 * explicitly (no {@code ServiceLoader} lookup of a transport, which fails in OSGi: grpc-java#3097).
 *
 * <p>In OSGi it is a service (see {@code GrpcTransportComponent}); in plain Java, for tests:
 * {@code Runner.runCluster(build, options, new GrpcTransport(), addresses, security)}.
 */
public final class GrpcTransport implements Transport {
    /** The property the runtime selects this transport by. */
    public static final String NAME = "grpc";

    @Override
    public Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException {
        SslContext server = null;
        SslContext client = null;
        ClusterSpec.Security s = spec.security();
        if (s.tls()) {
            if (s.privateKey() == null || s.trustedCa() == null) {
                throw new TransportException("TLS needs all three of --tls-cert, --tls-key and --tls-ca");
            }
            server = Tls.server(s);
            client = Tls.client(s);
        }
        Hello h = hello;
        if (spec.processId() == 0 && h.generation() == 0) {
            // Process 0 mints the run's generation; the others adopt it from its hello.
            h = h.withGeneration(ThreadLocalRandom.current().nextLong() | 1);
        }
        return new Node(spec, h, server, client).connect();
    }
}
