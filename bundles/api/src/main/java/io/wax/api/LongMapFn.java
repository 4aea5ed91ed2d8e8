package io.wax.api;

/** Maps a {@code long} to a {@code long}; used by {@link Longs#map}. */
@FunctionalInterface
public interface LongMapFn {
    long apply(long x) throws Exception;
}
