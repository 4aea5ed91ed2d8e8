package io.wax.plan;

/**
 * A derived operator as the user wrote it, such as {@code map} with id {@code simple.add_one}.
 * Core steps whose id starts with {@code id + "."} belong to it. Only used for describing flows.
 */
public record Scope(String id, String operator) {
}
