package io.wax.transport.grpc.internal;

import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import io.wax.transport.grpc.GrpcTransport;
import org.osgi.service.component.annotations.Component;

/**
 * The gRPC transport as an OSGi service, which the runtime binds for runs with {@code -i}/{@code -a}.
 * gRPC finds its own providers through the embedded jars' {@code META-INF/services}, read with
 * this bundle's class loader: the context loader is switched to it while a cluster forms.
 */
@Component(service = Transport.class, property = "transport=" + GrpcTransport.NAME)
public final class GrpcTransportComponent implements Transport {
    private final GrpcTransport transport = new GrpcTransport();

    @Override
    public Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(GrpcTransportComponent.class.getClassLoader());
        try {
            return transport.connect(spec, hello);
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
