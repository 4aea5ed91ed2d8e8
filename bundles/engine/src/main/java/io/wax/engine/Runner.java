package io.wax.engine;

import io.wax.api.Dataflow;
import io.wax.engine.internal.Execution;
import io.wax.engine.internal.Loopback;
import io.wax.plan.Plan;
import io.wax.plan.Plans;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.Links;
import io.wax.spi.transport.Transport;
import io.wax.spi.transport.TransportException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs a flow in this JVM: the analogue of Bytewax's {@code run_main} and {@code cli_main -wN}.
 * Returns when every input has ended and every step has finished; throws
 * {@link FlowFailedException} when user code fails, after every worker has stopped. Interrupting
 * the calling thread stops the run (every worker, promptly) with {@link FlowAbortedException}.
 *
 * <pre>{@code
 * TestingSink<Integer> out = new TestingSink<>();
 * Dataflow flow = new Dataflow("t");
 * flow.input("inp", new TestingSource<>(List.of(1, 2, 3))).map("double", x -> x * 2).output("out", out);
 * Runner.run(flow, RunOptions.defaults().withWorkers(3));
 * }</pre>
 *
 * {@link #runCluster} runs the same flow as several processes of a cluster inside this JVM, each
 * with its own instance of the flow, through a transport: with the loopback transport every item
 * that crosses "processes" and every snapshot is encoded and decoded by the flow's codecs, so a
 * flow that passes its tests that way also runs on a real cluster.
 */
public final class Runner {
    /**
     * The protocol version of the engine's own frames; transports add their own. 2: a stop frame
     * says whether it asks a plain stop or a stop for a swap (1 had a boolean there). 3: a batch's
     * strings go through the sender's numbering of the strings it sent before ({@code SentStrings}).
     * 4: a batch says its shape, and a keyed batch whose values are their keys sends only the keys.
     */
    public static final int PROTOCOL = 4;

    private Runner() {
    }

    /** Runs with one worker and default options. */
    public static void run(Dataflow flow) {
        run(flow, RunOptions.defaults());
    }

    public static void run(Dataflow flow, RunOptions options) {
        new Execution(Plans.of(flow), options).run();
    }

    /**
     * Starts the flow's workers and returns at once; {@link Run#await()} waits for the end and
     * {@link Run#stop()} ends it gracefully from any thread (what SIGTERM and Ctrl-C do to a
     * headless run). Worker threads inherit the calling thread's context class loader.
     */
    public static Run start(Dataflow flow, RunOptions options) {
        return new Execution(Plans.of(flow), options).start();
    }

    /**
     * Runs a flow as {@code processes} processes of a cluster in this JVM, through the loopback
     * transport, each process with {@code options.workers()} workers and its own flow built by
     * {@code build.apply(processId)} (as each process of a real cluster builds its own).
     */
    public static void runCluster(IntFunction<Dataflow> build, int processes, RunOptions options) {
        runCluster(build, options, new Loopback(processes), Loopback.addresses(processes), ClusterSpec.Security.NONE);
    }

    /**
     * Like {@link #runCluster(IntFunction, int, RunOptions)} through any transport, one process per
     * address (for the gRPC transport: real sockets, on loopback addresses).
     */
    public static void runCluster(IntFunction<Dataflow> build, RunOptions options, Transport transport,
                                  List<String> addresses, ClusterSpec.Security security) {
        int processes = addresses.size();
        AtomicReference<RuntimeException> first = new AtomicReference<>();
        Thread[] threads = new Thread[processes];
        for (int p = 0; p < processes; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                try {
                    runProcess(build.apply(id), options, transport, new ClusterSpec(id, addresses, null, security));
                } catch (RuntimeException e) {
                    // The process where it happened reports a failure first; the others report it as theirs too.
                    first.compareAndSet(null, e);
                }
            }, "wax-cluster-process-" + p);
            threads[p].start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    for (Thread x : threads) {
                        x.interrupt();
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first.get() != null) {
            throw first.get();
        }
    }

    /**
     * Waits for every other process of the cluster to complete its run as well (see {@link
     * Links#finish}); returns why one did not, or null.
     */
    private static String finish(Links links) throws InterruptedException {
        try {
            links.finish();
            return null;
        } catch (TransportException e) {
            return e.getMessage();
        }
    }

    private static void runProcess(Dataflow flow, RunOptions options, Transport transport, ClusterSpec spec) {
        Plan plan = Plans.of(flow);
        Hello hello = new Hello(PROTOCOL, spec.processId(), spec.processCount(), options.workers(), plan.flowId(), "",
                plan.fingerprint(), 0);
        Links links;
        try {
            links = transport.connect(spec, hello);
        } catch (TransportException e) {
            throw new FlowAbortedException("flow '" + plan.flowId() + "' could not form its cluster: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowAbortedException("flow '" + plan.flowId() + "' was stopped while its cluster formed");
        }
        try {
            Execution e = new Execution(plan, options.withCluster(links));
            e.run();
            String late = finish(links);
            e.await(); // a peer's failure report that arrived after this process's workers had finished
            if (late != null) {
                throw new FlowAbortedException("flow '" + plan.flowId() + "' stopped: " + late);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowAbortedException("flow '" + plan.flowId() + "' was stopped while its peers finished");
        } finally {
            links.close();
        }
    }
}
