package io.wax.api;

/** Decides whether a {@code long} is kept; used by {@link Longs#filter}. */
@FunctionalInterface
public interface LongFilterFn {
    boolean test(long x) throws Exception;
}
