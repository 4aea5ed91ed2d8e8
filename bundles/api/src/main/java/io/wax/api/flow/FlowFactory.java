package io.wax.api.flow;

import io.wax.api.Dataflow;
import java.util.List;

/**
 * The service a flow bundle registers (as a Declarative Services component) so that the runner
 * can list its flow and build it for a run. A getter {@code NAME(arg, ...)} builds the flow
 * {@code NAME} with the literal arguments converted to the types of {@link #params()}.
 *
 * <pre>{@code
 * @Component(service = FlowFactory.class)
 * public final class Parametric implements FlowFactory {
 *     public String name() { return "parametric"; }
 *     public List<Param> params() { return List.of(new Param("n", int.class)); }
 *     public Dataflow build(List<Object> args) { ... (int) args.get(0) ... }
 * }
 * }</pre>
 */
@org.osgi.annotation.versioning.ConsumerType
public interface FlowFactory {
    /** The name users run the flow by; letters, digits, '-' and '_'. */
    String name();

    /** The flow's parameters, in order; empty for a flow run by name alone. */
    default List<Param> params() {
        return List.of();
    }

    /** Builds a fresh flow; {@code args} match {@link #params()} in number and type. */
    Dataflow build(List<Object> args) throws Exception;

    /**
     * One parameter: its name and type, one of {@code int}, {@code long}, {@code double},
     * {@code boolean} or {@link String}.
     */
    record Param(String name, Class<?> type) {
        @Override
        public String toString() {
            return (type == String.class ? "String" : type.getSimpleName()) + " " + name;
        }
    }
}
