package io.wax.engine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Stream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Shared helpers of the operator tests: build a flow around a step, run it with 1, 2 and 3
 * workers, and as a cluster of 2 processes of 2 workers through the loopback transport (every
 * exchanged item and snapshot encoded and decoded by the flow's codecs, as between machines), and
 * compare the outputs as multisets (worker counts change the order items are interleaved in, never
 * which items come out).
 *
 * <p>With the system property {@value #TRANSPORT_PROPERTY} naming a {@link Transport} class (public,
 * with a public no-argument constructor), every cluster run goes through a new instance of it
 * instead, one process per free loopback port, and {@link #TOPOLOGIES} is the cluster alone (the
 * in-process runs are the engine's own build's). The gRPC transport's build sets it to run the
 * operator and window tests over real gRPC sockets; the engine itself never sees that transport.
 */
public final class Flows {
    private Flows() {
    }

    /** The system property naming a transport class for cluster runs, instead of the loopback one. */
    public static final String TRANSPORT_PROPERTY = "wax.testkit.transport";

    /** The worker counts every operator test runs with in one process. */
    public static final int[] WORKERS = {1, 2, 3};

    /** A way to run a test flow: {@code processes} processes of {@code workers} workers each. */
    public record Topology(int processes, int workers) {
        /** Workers over every process. */
        public int total() {
            return processes * workers;
        }

        @Override
        public String toString() {
            String transport = TRANSPORT == null ? "loopback" : TRANSPORT;
            return processes == 1 ? workers + " worker(s)" : processes + " processes x " + workers + " workers (" + transport + ")";
        }
    }

    private static final String TRANSPORT = System.getProperty(TRANSPORT_PROPERTY);

    /**
     * Every topology the operator tests run with: 1, 2 and 3 workers, and 2 processes of 2 workers;
     * only the 2 processes with {@value #TRANSPORT_PROPERTY} set.
     */
    public static final List<Topology> TOPOLOGIES = TRANSPORT == null
            ? List.of(new Topology(1, 1), new Topology(1, 2), new Topology(1, 3), new Topology(2, 2))
            : List.of(new Topology(2, 2));

    public static RunOptions options(int workers) {
        return RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(50));
    }

    public static void run(Dataflow flow, int workers) {
        Runner.run(flow, options(workers));
    }

    /** Runs in {@code topology} the flows {@code build} makes, one per process (given its id). */
    public static void run(Topology topology, java.util.function.IntFunction<Dataflow> build) {
        run(topology, options(topology.workers()), build);
    }

    /** Like {@link #run(Topology, java.util.function.IntFunction)} with {@code options} (whose worker count the topology sets). */
    public static void run(Topology topology, RunOptions options, java.util.function.IntFunction<Dataflow> build) {
        RunOptions o = options.withWorkers(topology.workers());
        if (topology.processes() == 1) {
            Runner.run(build.apply(0), o);
        } else if (TRANSPORT == null) {
            Runner.runCluster(build, topology.processes(), o);
        } else {
            // A secret, so that the runs prove membership as a real cluster does (and print no warning).
            Transport transport = transport();
            AtomicInteger connected = new AtomicInteger();
            Transport counted = (spec, hello) -> {
                Links links = transport.connect(spec, hello);
                connected.incrementAndGet();
                return links;
            };
            Runner.runCluster(build, o, counted, freeLoopbackAddresses(topology.processes()),
                    new ClusterSpec.Security(null, null, null, "testkit"));
            // Proof that the run went through that transport, every process of it.
            assertEquals(topology.processes(), connected.get(), "processes connected through " + TRANSPORT);
        }
    }

    private static Transport transport() {
        try {
            return Class.forName(TRANSPORT).asSubclass(Transport.class).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(TRANSPORT_PROPERTY + " must name a public Transport class with a public "
                    + "no-argument constructor on the test class path, got '" + TRANSPORT + "': " + e, e);
        }
    }

    /** {@code n} loopback addresses on ports free just now. */
    private static List<String> freeLoopbackAddresses(int n) {
        List<String> out = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                held.add(s);
                out.add("127.0.0.1:" + s.getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a listening socket that accepted nothing: nothing to do
                }
            }
        }
        return out;
    }

    /** A source that deals {@code items} round-robin over {@code parts} partitions, read in batches of 2. */
    public static <T> TestingSource<T> source(List<?> items, int parts) {
        Map<String, List<Object>> m = new TreeMap<>();
        for (int p = 0; p < parts; p++) {
            m.put("part-" + p, new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            m.get("part-" + (i % parts)).add(items.get(i));
        }
        return new TestingSource<>(m, 2);
    }

    /**
     * Builds a flow with {@code build} (which gets the flow and returns the stream to capture),
     * runs it with {@code workers}, and returns what reached the sink.
     */
    public static <T> List<T> outputs(int workers, Function<Dataflow, Stream<T>> build) {
        return outputs(new Topology(1, workers), build);
    }

    /**
     * Builds and runs a flow in {@code topology}; in a cluster each process builds its own flow
     * (and sink), as processes of a real cluster do, and the sinks' items are put together.
     */
    public static <T> List<T> outputs(Topology topology, Function<Dataflow, Stream<T>> build) {
        List<TestingSink<T>> sinks = new ArrayList<>();
        for (int p = 0; p < topology.processes(); p++) {
            sinks.add(new TestingSink<>());
        }
        run(topology, p -> flowInto(build, sinks.get(p)));
        List<T> all = new ArrayList<>();
        sinks.forEach(sink -> all.addAll(sink.items()));
        return all;
    }

    private static <T> Dataflow flowInto(Function<Dataflow, Stream<T>> build, TestingSink<T> sink) {
        Dataflow flow = new Dataflow("test");
        build.apply(flow).output("out", sink);
        return flow;
    }

    /** Runs in every {@link #TOPOLOGIES topology}, asserting each time that the output multiset is {@code expected}. */
    public static <T> void assertOutputs(List<T> expected, Function<Dataflow, Stream<T>> build) {
        for (Topology t : TOPOLOGIES) {
            assertEquals(multiset(expected), multiset(outputs(t, build)), "with " + t);
        }
    }

    /**
     * Like {@link #assertOutputs} for keyed outputs, and also asserts each key's values come out
     * in the expected order (stateful steps see a key's values in order).
     */
    public static <V> void assertKeyedOutputs(List<KV<V>> expected, Function<Dataflow, Stream<KV<V>>> build) {
        for (Topology t : TOPOLOGIES) {
            List<KV<V>> got = outputs(t, build);
            assertEquals(multiset(expected), multiset(got), "with " + t);
            assertEquals(byKey(expected), byKey(got), "per-key order with " + t);
        }
    }

    public static <V> Map<String, List<V>> byKey(List<KV<V>> items) {
        Map<String, List<V>> m = new LinkedHashMap<>();
        for (KV<V> kv : items) {
            m.computeIfAbsent(kv.key(), k -> new ArrayList<>()).add(kv.value());
        }
        return new TreeMap<>(m);
    }

    /** Items counted by value: equal multisets have equal counts. */
    public static <T> Map<T, Integer> multiset(List<T> items) {
        Map<T, Integer> m = new HashMap<>();
        for (T t : items) {
            m.merge(t, 1, Integer::sum);
        }
        return m;
    }

    /** 0, 1, ..., n-1. */
    public static List<Integer> range(int n) {
        List<Integer> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(i);
        }
        return xs;
    }
}
