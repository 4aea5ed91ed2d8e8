package io.wax.plan;

/**
 * Implemented by the functions that derived operators hand to core steps, so that an error can
 * name the user's own function rather than the operator's wrapper around it.
 */
public interface UserCode {
    Object userFunction();
}
