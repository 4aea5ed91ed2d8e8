package io.wax.api;

/** Builds the logic of one key from its resumed state, or from {@code null} for a new key. */
@FunctionalInterface
public interface StatefulBatchBuilder<V, R, S> {
    StatefulBatchLogic<V, R, S> build(S resumeState) throws Exception;
}
