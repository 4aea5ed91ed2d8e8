package io.wax.api.window.internal;

import io.wax.api.Emitter;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The per-key logic of a window step over sliding or tumbling windows without allowed lateness:
 * the same results as {@link WindowKeyLogic}, for the common case, at less cost. Without lateness
 * a window fires once, when the watermark reaches its close, and is dropped at once; and sliding
 * windows close in the order of their ids. So the kept windows fire in id order from an array
 * sorted by id, where the general logic keeps a heap ordered by due time, an entry object per
 * window and the windower's calls. W3, where each item opens a window and closes one, is bound
 * by that bookkeeping. A count keeps its windows' counts beside their ids, with no object per
 * window (W3: 18.5 to 20.6 M items/s). {@code WindowPropertyTest} holds both logics to the same
 * brute-force model, {@code SlidingKeyLogicTest} to each other.
 *
 * <p>A window that opens before kept ones (out-of-order items, a long wait) is inserted into the
 * array, which moves every later window; past {@link #HAND_OVER} kept windows that costs more than
 * the general logic's heap, so the key hands its windows, clock and watermark over to a {@link
 * WindowKeyLogic} and forwards every call to it from then on.
 */
final class SlidingKeyLogic<V, W, S> extends KeyWindows<V, W> {
    /** How many kept windows make a key hand over to the general logic. */
    static final int HAND_OVER = 64;
    private final WindowStep<V, W, S> step;
    private final WindowLogic.Builder<V, W, S> builder;
    private final SlidingWindowerLogic windower;
    private final boolean metaOn;
    /**
     * The kept windows, ids ascending, in {@code [lo, hi)}: window {@code i}'s id is {@code
     * slots[2 * i]}; for a count, its count is {@code slots[2 * i + 1]}, otherwise its logic is
     * {@code logics[i]}. Pairs in one array: a key's windows cost one cache line, not two.
     */
    private long[] slots = new long[8];
    private WindowLogic<V, W, S>[] logics;
    private int lo;
    private int hi;
    /** The general logic this key was handed over to, or null. */
    private WindowKeyLogic<V, W, S> general;

    @SuppressWarnings("unchecked")
    SlidingKeyLogic(WindowStep<V, W, S> step, SlidingWindowerLogic windower, WindowState resume) throws Exception {
        super(step.clock().build(resume == null ? null : resume.clock()));
        this.step = step;
        this.builder = step.logic();
        this.windower = windower;
        this.metaOn = step.meta().isOn();
        this.logics = builder == (Object) CountWindowLogic.BUILDER ? null : newLogics(4);
        if (resume != null) {
            for (WindowState.Window s : resume.windows()) {
                int i = insert(hi, s.id());
                if (logics == null) {
                    slots[2 * i + 1] = (Long) s.state();
                } else {
                    logics[i] = builder.build((S) s.state());
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <V, W, S> WindowLogic<V, W, S>[] newLogics(int n) {
        return new WindowLogic[n];
    }

    @Override
    public void onBatch(List<V> values, Emitter<Object> out) throws Exception {
        if (general == null && hi - lo > HAND_OVER) {
            general = new WindowKeyLogic<>(step, clock, snapshot());
            general.continueFrom(this);
            slots = null;
            logics = null;
        }
        if (general != null) {
            general.onBatch(values, out);
            return;
        }
        this.out = out;
        clock.beforeBatch(out.systemTimeMillis());
        for (int i = 0, n = values.size(); i < n; i++) {
            V v = values.get(i);
            long ts = clock.onItem(v);
            long wm = forward(clock.watermark());
            long last = windower.lastWindow(ts);
            long first = windower.firstWindow(ts, last);
            if (ts < wm) {
                for (long k = first; k <= last; k++) {
                    out.emit(new LateItem<>(k, v));
                }
            } else {
                for (long k = first; k <= last; k++) {
                    onValue(k, v);
                }
            }
            if (lo < hi && wm >= windower.closeTime(slots[2 * lo])) {
                closeDue(wm);
            }
        }
        maybeDiscard();
    }

    /** Hands {@code v} to window {@code id}, opening it if needed; usually the last one kept. */
    private void onValue(long id, V v) throws Exception {
        long[] t = slots;
        int i = hi - 1;
        while (i >= lo && t[2 * i] > id) {
            i--;
        }
        if (i < lo || t[2 * i] != id) {
            i = insert(i + 1, id);
            if (logics != null) {
                logics[i] = builder.build(null);
            }
            if (metaOn) {
                out.emit(new WindowMeta(id, windower.openTime(id), windower.closeTime(id), List.of()));
            }
        }
        if (logics == null) {
            slots[2 * i + 1]++;
        } else {
            resultWindow = id;
            logics[i].onValue(v, this);
        }
    }

    /**
     * Inserts window {@code id} at position {@code at} of {@code [lo, hi]}, making room as needed,
     * with a count of 0 and no logic yet; returns where it went.
     */
    private int insert(int at, long id) {
        if (hi == slots.length / 2) {
            int n = hi - lo;
            boolean compact = lo > 0 && n < hi / 2;
            long[] t = compact ? slots : new long[2 * slots.length];
            System.arraycopy(slots, 2 * lo, t, 0, 2 * n);
            slots = t;
            if (logics != null) {
                WindowLogic<V, W, S>[] l = compact ? logics : newLogics(2 * logics.length);
                System.arraycopy(logics, lo, l, 0, n);
                Arrays.fill(l, n, hi, null);
                logics = l;
            }
            at -= lo;
            lo = 0;
            hi = n;
        }
        System.arraycopy(slots, 2 * at, slots, 2 * at + 2, 2 * (hi - at));
        slots[2 * at] = id;
        slots[2 * at + 1] = 0;
        if (logics != null) {
            System.arraycopy(logics, at, logics, at + 1, hi - at);
        }
        hi++;
        return at;
    }

    /** Fires, in id order, the windows whose close the watermark reached, and drops them. */
    @Override
    @SuppressWarnings("unchecked")
    void closeDue(long wm) throws Exception {
        while (lo < hi && windower.closeTime(slots[2 * lo]) <= wm) {
            int i = lo++;
            resultWindow = slots[2 * i];
            if (logics == null) {
                accept((W) (Long) slots[2 * i + 1]);
            } else {
                WindowLogic<V, W, S> logic = logics[i];
                logics[i] = null;
                logic.onClose(this);
            }
        }
        if (lo == hi) {
            lo = 0;
            hi = 0;
        }
    }

    @Override
    long firstDue() {
        return lo < hi ? windower.closeTime(slots[2 * lo]) : Long.MAX_VALUE;
    }

    @Override
    boolean keepsNoWindows() {
        return lo == hi;
    }

    @Override
    public void onNotify(Emitter<Object> out) throws Exception {
        if (general != null) {
            general.onNotify(out);
        } else {
            super.onNotify(out);
        }
    }

    @Override
    public void onEof(Emitter<Object> out) throws Exception {
        if (general != null) {
            general.onEof(out);
        } else {
            super.onEof(out);
        }
    }

    @Override
    public Instant notifyAt() {
        return general != null ? general.notifyAt() : super.notifyAt();
    }

    /** Whether this key was handed over to the general logic (for tests). */
    boolean handedOver() {
        return general != null;
    }

    @Override
    public WindowState snapshot() {
        if (general != null) {
            return general.snapshot();
        }
        List<WindowState.Window> ws = new ArrayList<>(hi - lo);
        for (int i = lo; i < hi; i++) {
            long id = slots[2 * i];
            Object state = logics == null ? (Object) slots[2 * i + 1] : logics[i].snapshot();
            ws.add(new WindowState.Window(id, state, 0, false, List.of(),
                    metaOn ? windower.openTime(id) : 0, metaOn ? windower.closeTime(id) : 0));
        }
        return new WindowState(clock.snapshot(), null, Collections.unmodifiableList(ws));
    }
}
