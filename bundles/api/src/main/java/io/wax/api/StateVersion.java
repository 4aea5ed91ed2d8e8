package io.wax.api;

/**
 * The version of a stateful step's state, declared with {@link Dataflow#stateVersion}.
 *
 * @param stepId the step's id as given to its operator (at the flow's top level, e.g. {@code "count"})
 * @param version the state's version: 0 is a step that declares none
 * @param migration turns older versions' state into this one, or {@code null}: older state is then refused
 */
public record StateVersion(String stepId, int version, StateMigration migration) {
    public StateVersion {
        if (version < 0) {
            throw new IllegalArgumentException("a state version is 0 or more, got " + version + " for step '" + stepId + "'");
        }
    }
}
