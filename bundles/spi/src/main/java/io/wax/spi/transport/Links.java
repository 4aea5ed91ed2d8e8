package io.wax.spi.transport;

/**
 * This process's connections to the other processes of a cluster, for one run: one ordered
 * stream of byte frames per ordered pair of processes.
 *
 * <p>Flow control is by credit. {@link #send} never blocks: it queues. The engine polls its
 * sources only while {@link #writable} is true for every peer, and it calls {@link #consumed}
 * once it has processed a frame, which lets the transport take the next frame from that peer. A
 * slow process therefore holds back the sources of the others, and nothing queues without bound.
 */
@org.osgi.annotation.versioning.ProviderType
public interface Links extends AutoCloseable {
    int processId();

    int processCount();

    /**
     * The hello this cluster agreed on, as seen by this process (its generation is process 0's).
     */
    Hello hello();

    /**
     * Starts delivering frames to {@code receiver}: those that arrived since {@link
     * Transport#connect} returned, then every later one. Called once.
     */
    void start(Receiver receiver);

    /**
     * Queues a frame for {@code peer}. Never blocks; frames to one peer arrive in the order they
     * were sent. The transport owns the array from now on: the caller must not change it.
     */
    void send(int peer, byte[] frame);

    /** Whether {@code peer}'s outbound queue is under its bound. */
    boolean writable(int peer);

    /** The engine has finished with one frame from {@code peer}. */
    void consumed(int peer);

    /**
     * This process's run has completed: tells every peer so (after every frame already queued),
     * then waits until every peer's run has completed too. A process whose own workers finish
     * early must not exit 0 while another process may still fail: fate sharing holds to the end.
     * Frames that arrive meanwhile (a peer's failure report) still reach the receiver. Throws
     * naming the first peer that ended without completing (it failed, died or stopped answering).
     * Transports whose processes share one JVM and end together need not wait (the default).
     */
    default void finish() throws TransportException, InterruptedException {
    }

    /**
     * Sends what is queued, tells the peers this process is done, and releases every thread,
     * socket and buffer. Waits a bounded time for the queues to drain.
     */
    @Override
    void close();

    /** Where frames and failures go. Called on transport threads: implementations must not block. */
    interface Receiver {
        void onFrame(int peer, byte[] frame);

        /**
         * The connection to {@code peer} failed (it died, stopped answering, or closed before it
         * was done): the run cannot go on.
         */
        void onPeerFailed(int peer, String reason);
    }
}
