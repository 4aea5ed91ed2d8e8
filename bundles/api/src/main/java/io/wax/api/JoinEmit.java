package io.wax.api;

/** When {@code join} emits. */
public enum JoinEmit {
    /** Once every side has a value; the key's state is then discarded. */
    COMPLETE,
    /** Once, at the end of input, with whatever each side has (missing sides are null). */
    FINAL,
    /** After every value, with whatever each side has so far. */
    RUNNING
}
