package io.wax.api;

import java.util.List;

/**
 * Turns a batch of items into a batch of items; the function behind {@code flatMapBatch}.
 * The engine never changes a batch once it has been emitted, so the input list is read-only and
 * may be returned as it is (a filter that keeps everything does). The returned list is handed
 * downstream without a copy and must not be changed afterwards.
 */
@FunctionalInterface
public interface BatchFn<T, R> {
    List<R> apply(List<T> batch) throws Exception;
}
