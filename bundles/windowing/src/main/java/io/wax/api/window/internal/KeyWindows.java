package io.wax.api.window.internal;

import io.wax.api.Emitter;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.window.ClockLogic;
import io.wax.api.window.WindowResult;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What the per-key logics of window steps share: the key's clock, a watermark that never goes
 * back, the wake-up asked of the engine, and the calls that only move time (a notification, end
 * of input). Subclasses keep the windows: {@link WindowKeyLogic} any windows, {@link
 * SlidingKeyLogic} sliding ones without lateness. The logic is also its windows' result consumer,
 * so a key's state stays in as few objects as possible.
 *
 * @param <V> values in
 * @param <W> window results
 */
abstract class KeyWindows<V, W> implements StatefulBatchLogic<V, Object, WindowState>, Consumer<W> {
    final ClockLogic<V, Object> clock;
    /** Where the current call emits. */
    Emitter<Object> out;
    /** The window being called and its update number: a window logic's output is its result. */
    long resultWindow;
    int resultUpdate;
    private long lastWatermark = Long.MIN_VALUE;
    private long requestedMs = Long.MAX_VALUE;
    private Instant requested;

    KeyWindows(ClockLogic<V, Object> clock) {
        this.clock = clock;
    }

    /** The watermark due first of the kept windows, or {@code Long.MAX_VALUE}. */
    abstract long firstDue();

    /** Fires and drops what the watermark {@code wm} reached. */
    abstract void closeDue(long wm) throws Exception;

    /** Whether no window, and nothing of the windower, is kept. */
    abstract boolean keepsNoWindows();

    /** A window logic's output, as a result of the window being called. */
    @Override
    public void accept(W w) {
        out.emit(new WindowResult<>(resultWindow, w, resultUpdate));
    }

    /** {@code wm}, or the last watermark if {@code wm} is behind it: clocks may go back, watermarks do not. */
    final long forward(long wm) {
        if (wm < lastWatermark) {
            return lastWatermark;
        }
        lastWatermark = wm;
        return wm;
    }

    /** The watermark so far: the largest this key has seen. */
    final long lastWatermark() {
        return lastWatermark;
    }

    /** Carries on from {@code before}'s watermark and wake-up, for a logic that takes over a key. */
    final void continueFrom(KeyWindows<?, ?> before) {
        lastWatermark = before.lastWatermark;
        requested = before.requested;
        requestedMs = before.requestedMs;
    }

    /** Lets the engine drop the key once nothing is kept. */
    final void maybeDiscard() {
        if (keepsNoWindows() && clock.isEmpty()) {
            out.discardState();
        }
    }

    @Override
    public void onNotify(Emitter<Object> out) throws Exception {
        this.out = out;
        requested = null;
        requestedMs = Long.MAX_VALUE;
        long wm = forward(clock.onNotify(out.systemTimeMillis()));
        if (wm >= firstDue()) {
            closeDue(wm);
        }
        maybeDiscard();
    }

    @Override
    public void onEof(Emitter<Object> out) throws Exception {
        this.out = out;
        closeDue(Math.max(clock.onEof(), lastWatermark));
        maybeDiscard();
    }

    /**
     * The system time at which the next due window closes. An earlier request is kept while it is
     * still ahead of that (waking early is harmless), so a stream of items does not make the engine
     * re-schedule this key after every batch; the engine sees the same {@code Instant} and skips it.
     */
    @Override
    public Instant notifyAt() {
        long nextDue = firstDue();
        long t = nextDue == Long.MAX_VALUE ? Long.MAX_VALUE : clock.systemTimeFor(nextDue);
        if (t == Long.MAX_VALUE) {
            requested = null;
            requestedMs = Long.MAX_VALUE;
        } else if (requested == null || t < requestedMs) {
            requestedMs = t;
            requested = Instant.ofEpochMilli(t);
        }
        return requested;
    }
}
