package io.wax.api.window.internal;

/** A value of side {@code side} of a window join, as it travels through the merged stream. */
public record Tagged(int side, Object value) {
}
