package io.wax.runtime;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The deployed flows, and running them: the service behind {@code wax:run}, {@code wax:flows},
 * {@code wax:describe} and {@code bin/wax run}. Flows are selected by a getter, {@code NAME} or
 * {@code NAME(arg, ...)} (see {@link Getter}).
 */
@org.osgi.annotation.versioning.ProviderType
public interface WaxRuntime {
    /** Every deployed flow and every flow bundle that has a problem, sorted by name. */
    List<FlowInfo> flows();

    /**
     * The flow's steps as {@code "json"} or {@code "mermaid"}.
     *
     * @throws WaxException for an unknown flow, wrong arguments or a flow that cannot be built
     */
    String describe(String getter, String format);

    /**
     * Builds the flow and runs it until its inputs end, printing to {@code out} and reading
     * {@code in} (what the stdio connectors use).
     *
     * @throws WaxException for an unknown flow, wrong arguments, flags that are not available yet,
     *         or a flow that failed; its message is the one paragraph to show
     */
    default void run(String getter, RunFlags flags, PrintStream out, InputStream in) {
        run(getter, flags, out, in, new RunControl());
    }

    /**
     * As {@link #run(String, RunFlags, PrintStream, InputStream)}, stoppable from another thread
     * through {@code control}. A run ended by {@link RunControl#stop()} returns normally.
     */
    void run(String getter, RunFlags flags, PrintStream out, InputStream in, RunControl control);

    /**
     * Creates a recovery store of {@code partitions} partitions in {@code directory}
     * ({@code wax recovery init}); returns what to show.
     *
     * @throws WaxException when the directory holds a store or other files, or the store bundle is not active
     */
    default String recoveryInit(String directory, int partitions, boolean force) {
        throw new WaxException("this Wax runtime has no recovery stores");
    }

    /**
     * A recovery store's partitions, executions, resume epoch, worker count and size on disk
     * ({@code wax recovery info}).
     *
     * @throws WaxException when there is no whole store there, or the store bundle is not active
     */
    default String recoveryInfo(String directory) {
        throw new WaxException("this Wax runtime has no recovery stores");
    }

    /**
     * Updates a bundle while flows run ({@code wax:update BUNDLE [URL|FILE]}): the runs that use it
     * are swapped to the new code at an epoch boundary (see the README, "Updating a running
     * flow"). {@code bundle} is a bundle id or symbolic name; {@code source} a file or URL, or
     * {@code null} for the bundle's own location. Returns what happened to each run it affected.
     *
     * @throws WaxException for an unknown bundle, an unreadable source, or a bundle the framework refuses
     */
    default String update(String bundle, String source) {
        throw new WaxException("this Wax runtime cannot update bundles");
    }
}
