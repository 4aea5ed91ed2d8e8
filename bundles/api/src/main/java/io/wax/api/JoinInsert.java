package io.wax.api;

/** What {@code join} keeps when a side sees several values for a key. */
public enum JoinInsert {
    /** Keep the first value of each side. */
    FIRST,
    /** Keep the last value of each side. */
    LAST,
    /** Keep every value of each side and emit their cross product. */
    PRODUCT
}
