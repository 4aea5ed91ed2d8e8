package io.wax.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Stream;
import io.wax.api.Update;
import io.wax.api.io.DynamicSource;
import io.wax.api.io.StatelessSourcePartition;
import io.wax.api.testing.TestingSink;
import io.wax.engine.Runner;
import io.wax.engine.testkit.Flows;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A worker's frames for other processes: batches gathered into one frame, and nothing held while a source waits. */
class OutgoingTest {
    private static final int INPUTS = 20;
    private static final int ITEMS = 100;

    /**
     * Twenty sources of process 1 each read one batch in the same turn of the worker's loop: their
     * parts for process 0's worker go as one frame (or a few), not twenty.
     */
    @Test
    void batchesForOneWorkerGoAsOneFrame() {
        List<TestingSink<KV<Long>>> sinks = List.of(new TestingSink<>(), new TestingSink<>());
        AtomicInteger batchFrames = new AtomicInteger();
        Runner.runCluster(p -> gathered(p, sinks.get(p)), Flows.options(1), counting(new Loopback(2), batchFrames),
                Loopback.addresses(2), ClusterSpec.Security.NONE);
        int seen = sinks.get(0).items().size() + sinks.get(1).items().size();
        assertEquals(INPUTS * ITEMS, seen);
        assertTrue(sinks.get(0).items().size() > INPUTS, "process 0 owns a share of the keys: " + sinks.get(0).items().size());
        assertTrue(batchFrames.get() >= 1 && batchFrames.get() < INPUTS / 2,
                batchFrames.get() + " batch frames for " + INPUTS + " batches that each had items for the other process");
    }

    /**
     * The same, with batches that alternate between keys that are their values and keys that are
     * not: a frame holds one shape, and a keyed frame takes the others' batches too, so they still
     * gather instead of going as one frame each.
     */
    @Test
    void batchesOfAlternatingShapesStillGather() {
        List<TestingSink<KV<Long>>> sinks = List.of(new TestingSink<>(), new TestingSink<>());
        AtomicInteger batchFrames = new AtomicInteger();
        // Odd inputs' keys are copies of their items: their batches are keyed; even inputs' are the items themselves.
        Runner.runCluster(p -> gathered(p, sinks.get(p), w -> w.startsWith("key-odd") ? new String(w) : w), Flows.options(1),
                counting(new Loopback(2), batchFrames), Loopback.addresses(2), ClusterSpec.Security.NONE);
        assertEquals(INPUTS * ITEMS, sinks.get(0).items().size() + sinks.get(1).items().size());
        assertTrue(batchFrames.get() >= 1 && batchFrames.get() < INPUTS / 2,
                batchFrames.get() + " batch frames for " + INPUTS + " batches of alternating shapes");
    }

    private static Dataflow gathered(int process, TestingSink<KV<Long>> sink) {
        return gathered(process, sink, w -> w);
    }

    private static Dataflow gathered(int process, TestingSink<KV<Long>> sink, io.wax.api.KeyFn<String> key) {
        Dataflow flow = new Dataflow("gathered");
        List<Stream<String>> inputs = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            int input = i;
            inputs.add(flow.input("inp" + i, (DynamicSource<String>) ctx -> new StatelessSourcePartition<>() {
                boolean read = process == 0;

                @Override
                public List<String> nextBatch() {
                    if (read) {
                        return null;
                    }
                    read = true;
                    List<String> out = new ArrayList<>(ITEMS);
                    for (int k = 0; k < ITEMS; k++) {
                        out.add("key-" + (input % 2 == 1 ? "odd-" : "even-") + input + "-" + k);
                    }
                    return out;
                }
            }));
        }
        inputs.get(0).merge("all", inputs.subList(1, INPUTS)).keyOn("key", key)
                .statefulMap("count", (Long c, String w) -> Update.of(c == null ? 1L : c + 1, c == null ? 1L : c + 1))
                .output("out", sink);
        return flow;
    }

    /**
     * Process 1's source reads one item and then keeps polling, empty, until process 0 has output
     * it: a worker that holds a frame while its source waits would keep the item until the source
     * gave up (it fails the run after 30 s). Epochs are an hour long, so that no frontier carries
     * the item out.
     */
    @Test
    void anItemCrossesWhileItsSourceKeepsPolling() {
        AtomicBoolean arrived = new AtomicBoolean();
        List<TestingSink<KV<Long>>> sinks = List.of(new TestingSink<>(), new TestingSink<>());
        Runner.runCluster(p -> trickle(p, arrived, sinks.get(p)), 2, Flows.options(1).withEpochInterval(Duration.ofHours(1)));
        assertTrue(arrived.get());
    }

    private static Dataflow trickle(int process, AtomicBoolean arrived, TestingSink<KV<Long>> sink) {
        Dataflow flow = new Dataflow("trickle");
        flow.input("inp", (DynamicSource<String>) ctx -> new StatelessSourcePartition<>() {
            final long deadline = System.nanoTime() + 30_000_000_000L;
            boolean sent = process == 0;

            @Override
            public List<String> nextBatch() {
                if (!sent) {
                    sent = true;
                    return List.of(keyOfProcess0());
                }
                if (arrived.get()) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the item never reached process 0");
                }
                return List.of();
            }
        }).keyOn("key", w -> w).statefulMap("count", (Long c, String w) -> Update.of(1L, 1L))
                .output("out", (io.wax.api.io.DynamicSink<KV<Long>>) ctx -> new io.wax.api.io.StatelessSinkPartition<>() {
                    @Override
                    public void writeBatch(List<KV<Long>> items) {
                        if (process == 0 && !items.isEmpty()) {
                            arrived.set(true);
                        }
                    }
                });
        return flow;
    }

    /** A key that the stateful step routes to worker 0 of 2, that is to process 0. */
    private static String keyOfProcess0() {
        for (int i = 0; ; i++) {
            String k = "k" + i;
            if (io.wax.api.io.StableHash.owner(k, 2) == 0) {
                return k;
            }
        }
    }

    /** The transport, counting the batch frames process 1 sends. */
    private static Transport counting(Transport inner, AtomicInteger batchFrames) {
        return new Transport() {
            @Override
            public Links connect(ClusterSpec spec, Hello hello) throws TransportException, InterruptedException {
                Links l = inner.connect(spec, hello);
                return new Links() {
                    @Override
                    public int processId() {
                        return l.processId();
                    }

                    @Override
                    public int processCount() {
                        return l.processCount();
                    }

                    @Override
                    public Hello hello() {
                        return l.hello();
                    }

                    @Override
                    public void start(Receiver receiver) {
                        l.start(receiver);
                    }

                    @Override
                    public void send(int peer, byte[] frame) {
                        if (l.processId() == 1 && frame[0] == Frames.BATCH) {
                            batchFrames.incrementAndGet();
                        }
                        l.send(peer, frame);
                    }

                    @Override
                    public boolean writable(int peer) {
                        return l.writable(peer);
                    }

                    @Override
                    public void consumed(int peer) {
                        l.consumed(peer);
                    }

                    @Override
                    public void finish() throws TransportException, InterruptedException {
                        l.finish();
                    }

                    @Override
                    public void close() {
                        l.close();
                    }
                };
            }
        };
    }
}
