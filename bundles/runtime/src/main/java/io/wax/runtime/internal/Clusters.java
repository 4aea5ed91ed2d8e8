package io.wax.runtime.internal;

import io.wax.plan.Plan;
import io.wax.runtime.Getter;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxException;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import java.util.stream.Collectors;

/** Joins this process to its cluster ({@code -i}/{@code -a}) before a run: one transport connect, its errors made short. */
final class Clusters {
    /**
     * The engine's frame protocol, which every process of a cluster must speak; the transport
     * checks its own wire protocol separately. The same as the engine's {@code Runner.PROTOCOL}
     * (2: stop frames tell a plain stop from a peer's swap; 3: batches send repeated strings as numbers;
     * 4: a keyed batch whose values are their keys sends only the keys).
     */
    static final int ENGINE_PROTOCOL = 4;

    private Clusters() {
    }

    /** As {@link #connect}, with the cluster's own --cluster-timeout unless {@code timeout} is given. */
    static Links join(Transport transport, Getter getter, String flowVersion, Plan plan, RunFlags flags, java.time.Duration timeout) {
        return connect(transport, getter, flowVersion, plan, flags, timeout);
    }

    /** Forms the cluster through {@code transport}; waits for the peers up to {@code timeout} (null: --cluster-timeout). */
    static Links connect(Transport transport, Getter getter, String flowVersion, Plan plan, RunFlags flags, java.time.Duration timeout) {
        if (transport == null) {
            throw new WaxException("no cluster transport: the Wax gRPC transport bundle (io.wax.transport.grpc) is not active, so flow '"
                    + getter.name() + "' cannot run as process " + flags.processId() + " of a cluster; start it again (in the shell: lb transport)");
        }
        var c = flags.cluster();
        ClusterSpec spec = new ClusterSpec(flags.processId(), flags.addresses(), timeout == null ? c.timeout() : timeout,
                new ClusterSpec.Security(c.tlsCert(), c.tlsKey(), c.tlsCa(), c.secret()));
        Hello hello = new Hello(ENGINE_PROTOCOL, flags.processId(), flags.addresses().size(), flags.workers(), canonical(getter),
                flowVersion, plan.fingerprint(), 0);
        try {
            return transport.connect(spec, hello);
        } catch (TransportException e) {
            throw new WaxException("flow '" + getter.name() + "' (process " + flags.processId() + " of " + flags.addresses().size()
                    + ") could not form its cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaxException("flow '" + getter.name() + "' was stopped while its cluster formed");
        }
    }

    /** Waits until every peer has completed its run too; returns why one did not, or null. */
    static String finish(Links links) {
        try {
            links.finish();
            return null;
        } catch (TransportException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "this process was stopped while it waited for its peers to complete";
        }
    }

    /** The getter as every process must run it: the name and the converted arguments, spacing aside. */
    private static String canonical(Getter g) {
        return g.args().isEmpty() ? g.name() : g.name() + g.args().stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }
}
