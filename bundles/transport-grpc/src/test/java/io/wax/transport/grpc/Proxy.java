package io.wax.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on loopback that can stop forwarding in both directions while keeping every
 * connection open: to the process behind it, what a SIGSTOPped process looks like. With a
 * diversion, it plays a man in the middle: the first {@code forwarded} connections go to the
 * target, every later one to another address (an impostor's).
 */
public final class Proxy implements AutoCloseable {
    public final String address;
    private final String target;
    private final int forwarded;
    private final String diversion;
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Connections to the target made so far. */
    private int connected;
    private boolean paused;
    private boolean closed;

    public Proxy(String address, String target) throws IOException {
        this(address, target, Integer.MAX_VALUE, null);
    }

    /** Forwards the first {@code forwarded} connections to {@code target} and every later one to {@code diversion}. */
    public Proxy(String address, String target, int forwarded, String diversion) throws IOException {
        this.address = address;
        this.target = target;
        this.forwarded = forwarded;
        this.diversion = diversion;
        this.server = new ServerSocket(port(address), 50, InetAddress.getLoopbackAddress());
        thread(this::accept);
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private synchronized void thread(Runnable r) {
        Thread t = new Thread(r, "test-proxy");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept() {
        try {
            while (true) {
                Socket in = server.accept();
                boolean diverted;
                synchronized (this) {
                    diverted = connected >= forwarded;
                }
                Socket out;
                try {
                    out = new Socket(InetAddress.getLoopbackAddress(), port(diverted ? diversion : target));
                } catch (IOException notListeningYet) {
                    // Process 0 may dial before process 1 listens: refuse this one as process 1
                    // itself would, and serve its next attempt (ending the loop here left every
                    // later connection unserved, and the cluster never formed).
                    in.close();
                    continue;
                }
                synchronized (this) {
                    if (!diverted) {
                        connected++;
                    }
                    sockets.add(in);
                    sockets.add(out);
                }
                // A pause holds what goes to and from the target, not the impostor's traffic.
                thread(() -> pump(in, out, !diverted));
                thread(() -> pump(out, in, !diverted));
            }
        } catch (IOException closing) {
            // the proxy is closed
        }
    }

    private void pump(Socket from, Socket to, boolean pausable) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (this) {
                    while (pausable && paused && !closed) {
                        wait(); // holds what it read: nothing goes through while paused
                    }
                    if (closed) {
                        return;
                    }
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | InterruptedException ended) {
            // either side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    public synchronized void pause() {
        paused = true;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<Thread> ts;
        synchronized (this) {
            closed = true;
            notifyAll();
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
            ts = new ArrayList<>(threads);
        }
        for (Thread t : ts) {
            t.join(5000);
            assertTrue(!t.isAlive(), "a proxy thread did not end");
        }
    }
}
