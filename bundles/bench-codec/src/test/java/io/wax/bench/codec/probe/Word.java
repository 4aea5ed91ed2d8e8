package io.wax.bench.codec.probe;

/** A flow's own item type, defined in the flow's bundle. */
public record Word(String word, long count) {
}
