package io.wax.api.window;

import java.time.Instant;
import java.util.List;

/**
 * A window's bounds, on the {@code meta} stream: emitted when the window opens, when another
 * window merges into it, and when it fires with bounds that changed since the last meta (a
 * growing session). For sliding and tumbling windows {@code closeTime} is exclusive; for
 * sessions it is the last item's timestamp.
 *
 * @param mergedIds the windows merged into this one so far, in merge order
 */
public record WindowMeta(long windowId, Instant openTime, Instant closeTime, List<Long> mergedIds) {
}
