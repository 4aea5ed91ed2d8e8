package io.wax.api.window;

/**
 * A result of a window, on the {@code down} stream keyed by the original key.
 *
 * <p>{@code update} is how many times the window had fired before this result: 0 for a window's
 * first results, n for those of its n-th re-firing (only with allowed lateness). Where results are
 * emitted when the window fires (every built-in operator but {@code join} in COMPLETE or RUNNING
 * mode), a result with {@code update > 0} replaces every earlier result of the same key and
 * window, and with {@link WindowMeta#mergedIds()} a session's result also replaces the results of
 * the sessions merged into it. A logic that emits as values are applied ({@code join} in those
 * modes, or your own) emits rows that never replace each other; {@code update > 0} then only says the
 * window had already fired.
 *
 * @param windowId the window, as numbered by its windower
 * @param value the result
 * @param update how many times the window fired before this result
 */
public record WindowResult<W>(long windowId, W value, int update) {
    /** Whether this result replaces an earlier one. */
    public boolean isUpdate() {
        return update > 0;
    }
}
