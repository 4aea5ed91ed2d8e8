package io.wax.spi.monitor;

/**
 * A flow running in this process, registered as a service by the runtime for as long as the run
 * goes on; what {@code /metrics}, {@code /status} and {@code wax:status} show. Its methods keep
 * answering after the run has ended (with its final figures), so a holder may show how it ended.
 */
@org.osgi.annotation.versioning.ProviderType
public interface RunningFlow {
    /** {@code SWAPPING}: a bundle the run uses is being updated; the run resumes on the new code. */
    enum State { RUNNING, SWAPPING, ENDED, STOPPED, FAILED }

    /** The flow's name (its getter without arguments). */
    String flow();

    /** The getter the run was started with, e.g. {@code parametric(10)}. */
    String getter();

    /** The flow's steps as JSON, the same as {@code describe --format json}. */
    String dataflow();

    RunFigures figures();

    /** Worker threads in this process. */
    int workers();

    /** This process's index in its cluster, 0 when alone. */
    int processId();

    long startedMillis();

    State state();

    /** When the run ended, or 0 while it runs. */
    long endedMillis();

    /** Why the run failed, one paragraph, or {@code null}. */
    String failure();

    /** The port to serve this run's figures on, or 0 when metrics are off. */
    int metricsPort();

    /** The address to bind that port to. */
    String metricsHost();

    /**
     * The swap in progress (which bundle is being updated and the phase it is in), or the last
     * swap's outcome, or {@code null} when the run was never swapped.
     */
    default String swap() {
        return null;
    }

    /**
     * The builds of the code the run runs on now, by role, in this order: {@code engine},
     * {@code transport} (with {@code -i/-a}), {@code store} (with {@code -r}), {@code flow} (the
     * flow's bundle) and {@code connectors} (the bundles its inputs' and outputs' classes come
     * from, other than the flow's own). Each is {@code "SYMBOLIC-NAME VERSION build MARK"}, MARK
     * read from {@code META-INF/wax-build.properties} ({@code build=MARK}) of the bundle revision
     * whose classes the run uses, or {@code "SYMBOLIC-NAME VERSION built TIME"} from that
     * revision's manifest when it has no such resource. Empty before the run first starts.
     */
    default java.util.Map<String, String> builds() {
        return java.util.Map.of();
    }
}
