package io.wax.transport.grpc.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback ports for the module's tests. Each is found by binding port 0; the sockets of one
 * call are all held until every port is found, so that one call never gives the same port twice.
 * Another process may still take a port before the test binds it: other processes hold ports on
 * this machine, so no test uses a fixed one.
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** {@code n} distinct "127.0.0.1:PORT" addresses, free when returned. */
    public static List<String> addresses(int n) throws IOException {
        List<String> out = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                out.add("127.0.0.1:" + s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }

    /** One free loopback port. */
    public static int port() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
