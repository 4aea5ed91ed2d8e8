package io.wax.api.window.internal;

import io.wax.api.Emitter;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowMeta;
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
 * by that bookkeeping. {@code WindowPropertyTest} holds both logics to the same brute-force model.
 */
final class SlidingKeyLogic<V, W, S> extends KeyWindows<V, W> {
    private final WindowLogic.Builder<V, W, S> builder;
    private final long length;
    private final long offset;
    private final long alignTo;
    private final boolean metaOn;
    /** The kept windows, ids ascending, in {@code [lo, hi)}. */
    private long[] ids = new long[4];
    private WindowLogic<V, W, S>[] logics = newLogics(4);
    private int lo;
    private int hi;

    @SuppressWarnings("unchecked")
    SlidingKeyLogic(WindowStep<V, W, S> step, SlidingWindowerLogic windower, WindowState resume) throws Exception {
        super(step.clock().build(resume == null ? null : resume.clock()));
        this.builder = step.logic();
        this.length = windower.length();
        this.offset = windower.offset();
        this.alignTo = windower.alignTo();
        this.metaOn = step.meta().isOn();
        if (resume != null) {
            for (WindowState.Window s : resume.windows()) {
                insert(hi, s.id(), builder.build((S) s.state()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <V, W, S> WindowLogic<V, W, S>[] newLogics(int n) {
        return new WindowLogic[n];
    }

    @Override
    public void onBatch(List<V> values, Emitter<Object> out) throws Exception {
        this.out = out;
        clock.beforeBatch(out.systemTimeMillis());
        for (int i = 0, n = values.size(); i < n; i++) {
            V v = values.get(i);
            long ts = clock.onItem(v);
            long wm = forward(clock.watermark());
            long rel = ts - alignTo;
            long last = Math.floorDiv(rel, offset);
            long first = offset == length ? last : Math.floorDiv(rel - length, offset) + 1;
            if (ts < wm) {
                for (long k = first; k <= last; k++) {
                    out.emit(new LateItem<>(k, v));
                }
            } else {
                for (long k = first; k <= last; k++) {
                    onValue(k, v);
                }
            }
            if (lo < hi && wm >= closeTime(ids[lo])) {
                closeDue(wm);
            }
        }
        maybeDiscard();
    }

    private long closeTime(long id) {
        return alignTo + id * offset + length;
    }

    /** Hands {@code v} to window {@code id}, opening it if needed; usually the last one kept. */
    private void onValue(long id, V v) throws Exception {
        int i = hi - 1;
        while (i >= lo && ids[i] > id) {
            i--;
        }
        WindowLogic<V, W, S> logic;
        if (i >= lo && ids[i] == id) {
            logic = logics[i];
        } else {
            logic = builder.build(null);
            insert(i + 1, id, logic);
            if (metaOn) {
                out.emit(new WindowMeta(id, alignTo + id * offset, closeTime(id), List.of()));
            }
        }
        resultWindow = id;
        logic.onValue(v, this);
    }

    /** Inserts a window at position {@code at} of {@code [lo, hi]}, making room as needed. */
    private void insert(int at, long id, WindowLogic<V, W, S> logic) {
        if (hi == ids.length) {
            int n = hi - lo;
            if (lo > 0 && n < ids.length / 2) {
                System.arraycopy(ids, lo, ids, 0, n);
                System.arraycopy(logics, lo, logics, 0, n);
                Arrays.fill(logics, n, hi, null);
            } else {
                long[] biggerIds = new long[2 * ids.length];
                WindowLogic<V, W, S>[] bigger = newLogics(biggerIds.length);
                System.arraycopy(ids, lo, biggerIds, 0, n);
                System.arraycopy(logics, lo, bigger, 0, n);
                ids = biggerIds;
                logics = bigger;
            }
            at -= lo;
            lo = 0;
            hi = n;
        }
        System.arraycopy(ids, at, ids, at + 1, hi - at);
        System.arraycopy(logics, at, logics, at + 1, hi - at);
        ids[at] = id;
        logics[at] = logic;
        hi++;
    }

    /** Fires, in id order, the windows whose close the watermark reached, and drops them. */
    @Override
    void closeDue(long wm) throws Exception {
        while (lo < hi && closeTime(ids[lo]) <= wm) {
            WindowLogic<V, W, S> logic = logics[lo];
            resultWindow = ids[lo];
            logics[lo] = null;
            lo++;
            logic.onClose(this);
        }
        if (lo == hi) {
            lo = 0;
            hi = 0;
        }
    }

    @Override
    long firstDue() {
        return lo < hi ? closeTime(ids[lo]) : Long.MAX_VALUE;
    }

    @Override
    boolean keepsNoWindows() {
        return lo == hi;
    }

    @Override
    public WindowState snapshot() {
        List<WindowState.Window> ws = new ArrayList<>(hi - lo);
        for (int i = lo; i < hi; i++) {
            long id = ids[i];
            ws.add(new WindowState.Window(id, logics[i].snapshot(), 0, false, List.of(),
                    metaOn ? alignTo + id * offset : 0, metaOn ? closeTime(id) : 0));
        }
        return new WindowState(clock.snapshot(), null, Collections.unmodifiableList(ws));
    }
}
