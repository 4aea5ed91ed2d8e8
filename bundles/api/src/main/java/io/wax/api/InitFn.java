package io.wax.api;

/** Builds a fresh initial value, such as the accumulator of a fold. */
@FunctionalInterface
public interface InitFn<S> {
    S get() throws Exception;
}
