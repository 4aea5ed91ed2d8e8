package io.wax.engine.internal;

import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport between "processes" in one JVM, for tests: every frame is still encoded by the
 * sending worker and decoded by the receiving one, exactly as between machines, but it is handed
 * over in memory instead of through a socket. Flow control is the same credit scheme as the gRPC
 * transport's: at most {@link #WINDOW} frames from one process may wait, unprocessed, at another.
 * One {@code Loopback} serves one cluster run of {@code processes} processes.
 */
public final class Loopback implements Transport {
    /** Frames one process may have waiting at another before it stops being writable. */
    static final int WINDOW = 64;

    private final int processes;
    private final Hello[] hellos;
    private final Node[] nodes;

    public Loopback(int processes) {
        this.processes = processes;
        this.hellos = new Hello[processes];
        this.nodes = new Node[processes];
        for (int p = 0; p < processes; p++) {
            nodes[p] = new Node(p);
        }
    }

    /** The addresses a loopback cluster's specs name: they are never dialled. */
    public static List<String> addresses(int processes) {
        List<String> a = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            a.add("loopback:" + (p + 1));
        }
        return a;
    }

    @Override
    public Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException {
        if (spec.processCount() != processes) {
            throw new TransportException("this loopback cluster has " + processes + " processes, not " + spec.processCount());
        }
        int me = spec.processId();
        long deadline = System.nanoTime() + spec.connectTimeout().toNanos();
        synchronized (hellos) {
            if (hellos[me] != null) {
                throw new TransportException("process id: two processes both claim id " + me);
            }
            hellos[me] = me == 0 && hello.generation() == 0 ? hello.withGeneration(ThreadLocalRandom.current().nextLong() | 1) : hello;
            hellos.notifyAll();
            while (!allArrived()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<Integer> missing = new ArrayList<>();
                    for (int p = 0; p < processes; p++) {
                        if (hellos[p] == null) {
                            missing.add(p);
                        }
                    }
                    throw new TransportException("processes " + missing + " never answered within " + spec.connectTimeout().toSeconds() + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(hellos, left);
            }
            Hello agreed = hellos[me].withGeneration(hellos[0].generation());
            for (int p = 0; p < processes; p++) {
                if (p != me) {
                    List<String> d = agreed.differences(hellos[p].withGeneration(hellos[0].generation()), p);
                    if (!d.isEmpty()) {
                        throw new TransportException("process " + me + " and process " + p + " disagree: " + String.join("; ", d));
                    }
                }
            }
            nodes[me].hello = agreed;
            return nodes[me];
        }
    }

    private boolean allArrived() {
        for (Hello h : hellos) {
            if (h == null) {
                return false;
            }
        }
        return true;
    }

    /** One process's links. */
    private final class Node implements Links {
        final int id;
        volatile Hello hello;
        private Links.Receiver receiver;
        private boolean closed;
        /** Frames received and not yet handed to the receiver (all of them before {@link #start}). */
        private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
        /** Whether a thread is handing frames to the receiver (see {@link #deliver}). */
        private boolean delivering;
        /** Per sending peer: frames delivered here and not yet consumed. */
        final AtomicInteger[] outstanding;

        Node(int id) {
            this.id = id;
            this.outstanding = new AtomicInteger[processes];
            for (int p = 0; p < processes; p++) {
                outstanding[p] = new AtomicInteger();
            }
        }

        @Override
        public int processId() {
            return id;
        }

        @Override
        public int processCount() {
            return processes;
        }

        @Override
        public Hello hello() {
            return hello;
        }

        @Override
        public void start(Links.Receiver r) {
            synchronized (this) {
                if (receiver != null) {
                    throw new IllegalStateException("started twice");
                }
                receiver = r;
            }
            deliver();
        }

        /** A frame from {@code peer}: queued in order, and delivered once started. */
        void receive(int peer, byte[] frame) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                outstanding[peer].incrementAndGet();
                queue.add(new Object[] {peer, frame});
            }
            deliver();
        }

        /**
         * Hands the queued frames to the receiver in order, one thread at a time, and never under
         * this node's lock: the receiver may send to a peer from inside its callback (a start
         * mismatch is told to every peer), and two processes doing that to each other at once,
         * each holding its own lock, deadlocked. A thread that finds another delivering leaves its
         * frame to it, as a network thread would.
         */
        private void deliver() {
            synchronized (this) {
                if (delivering || receiver == null) {
                    return;
                }
                delivering = true;
            }
            boolean done = false;
            try {
                while (true) {
                    Object[] f;
                    Links.Receiver r;
                    synchronized (this) {
                        f = closed ? null : queue.poll();
                        if (f == null) {
                            delivering = false;
                            done = true;
                            return;
                        }
                        r = receiver;
                    }
                    r.onFrame((Integer) f[0], (byte[]) f[1]);
                }
            } finally {
                if (!done) { // the receiver threw: the next frame's sender delivers again
                    synchronized (this) {
                        delivering = false;
                    }
                }
            }
        }

        @Override
        public void send(int peer, byte[] frame) {
            nodes[peer].receive(id, frame);
        }

        @Override
        public boolean writable(int peer) {
            return nodes[peer].outstanding[id].get() < WINDOW;
        }

        @Override
        public void consumed(int peer) {
            outstanding[peer].decrementAndGet();
        }

        @Override
        public synchronized void close() {
            closed = true;
            queue.clear();
        }
    }
}
