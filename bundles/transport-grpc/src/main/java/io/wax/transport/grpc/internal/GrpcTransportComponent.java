package io.wax.transport.grpc.internal;

import io.grpc.Grpc;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import io.wax.transport.grpc.GrpcTransport;
import org.osgi.service.component.annotations.Component;

/**
 * The gRPC transport as an OSGi service, which the runtime binds for runs with {@code -i}/{@code -a}.
 * gRPC finds its own providers through its jars' {@code META-INF/services}, which only the loader
 * of the library bundle {@code io.wax.grpc} sees: the context loader is switched to that loader
 * while a cluster forms. It is also the loader the threads gRPC starts meanwhile inherit, and it
 * stays the same across updates of this bundle, so such a thread never holds an old revision of
 * this bundle in memory.
 */
@Component(service = Transport.class, property = "transport=" + GrpcTransport.NAME)
public final class GrpcTransportComponent implements Transport {
    private static final ClassLoader GRPC = Grpc.class.getClassLoader();

    private final GrpcTransport transport = new GrpcTransport();

    @Override
    public Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(GRPC);
        try {
            return transport.connect(spec, hello);
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
