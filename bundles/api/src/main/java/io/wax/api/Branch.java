package io.wax.api;

/** The two streams of {@code branch}: items the predicate kept, and the others. */
public record Branch<T>(Stream<T> trues, Stream<T> falses) {
}
