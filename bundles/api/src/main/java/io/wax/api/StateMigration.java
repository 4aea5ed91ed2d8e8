package io.wax.api;

/**
 * Turns a stateful step's state of an older version into the current one: Erlang's
 * {@code code_change}. Declared with {@link Dataflow#stateVersion(String, int, StateMigration)};
 * called for every key whose snapshot has an older version when state is restored (after a live
 * update of the flow bundle, or when a run resumes from a recovery store).
 *
 * <pre>{@code
 * // version 1 kept a Long count; version 2 keeps the count as a String
 * flow.stateVersion("count", 2, (from, old) -> String.valueOf(old));
 * }</pre>
 *
 * The old state is decoded with the new flow's codecs, so a type the old state used must still
 * have a codec (built-in types always do).
 */
@FunctionalInterface
public interface StateMigration {
    /**
     * The state for the current version, from a key's state {@code old} of version {@code fromVersion}
     * (0 for state written before the step declared a version); {@code null} discards the key.
     */
    Object migrate(int fromVersion, Object old) throws Exception;
}
