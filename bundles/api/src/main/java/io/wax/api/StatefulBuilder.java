package io.wax.api;

/** Builds a {@link StatefulLogic} from a key's resumed state, or from {@code null}. */
@FunctionalInterface
public interface StatefulBuilder<V, R, S> {
    StatefulLogic<V, R, S> build(S resumeState) throws Exception;
}
