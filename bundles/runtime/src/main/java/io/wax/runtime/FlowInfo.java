package io.wax.runtime;

import java.util.List;

/**
 * A deployed flow as the shell lists it, or a flow bundle that cannot provide its flow.
 *
 * @param name the flow's name, or {@code null} when the bundle's flow could not even be named
 * @param params the parameters, as {@code "int n"}
 * @param bundle the symbolic name of the bundle that provides it
 * @param version that bundle's version
 * @param problem why the flow cannot run, or {@code null} when it can
 */
public record FlowInfo(String name, List<String> params, String bundle, String version, String problem) {
    public FlowInfo {
        params = List.copyOf(params);
    }

    public boolean runnable() {
        return problem == null;
    }

    /** {@code name(int n, String s)}, or {@code name} for a flow without parameters. */
    public String signature() {
        String n = name == null ? "?" : name;
        return params.isEmpty() ? n : n + "(" + String.join(", ", params) + ")";
    }
}
