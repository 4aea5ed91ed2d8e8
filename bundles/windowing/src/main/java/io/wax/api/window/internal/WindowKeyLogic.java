package io.wax.api.window.internal;

import io.wax.api.Emitter;
import io.wax.api.window.ClockLogic;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowerLogic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The per-key logic of every window operator. Each value is timed by the clock; a value whose
 * timestamp is below {@code watermark - lateness} is late, any other goes to the windows the
 * windower names: at once in an unordered step, and in an ordered one (Bytewax's {@code
 * ordered=True}) once the watermark reaches its timestamp, in timestamp order, equal timestamps in
 * arrival order; until then it waits in {@link Pending}. After each value, the waiting values the
 * watermark reached are applied, then windows whose close the watermark has reached fire at once
 * (so results never wait for a batch or an epoch to end) and windows that can get no more values
 * are dropped. A window that fired and gets a value within the allowed lateness fires again, its
 * results numbered as an update. Emits {@link WindowResult}, {@link LateItem} and {@link
 * WindowMeta} items, split into three streams downstream.
 *
 * <p>It is its own window table and its windows' result consumer: one object per key where there
 * were three. With many keys a key's state has left the cache by the time its next value comes,
 * and every object on the way is another cache miss (W3 is bound by them).
 */
final class WindowKeyLogic<V, W, S> extends WindowTable<WindowKeyLogic.Win<V, W, S>, V, W> implements LongConsumer {
    /** One kept window. */
    static final class Win<V, W, S> extends WindowTable.Entry {
        final WindowLogic<V, W, S> logic;
        int fires;
        boolean dirty;
        long closesAt;
        List<Long> merged = List.of();
        long metaOpen;
        long metaClose;

        Win(long id, WindowLogic<V, W, S> logic) {
            super(id);
            this.logic = logic;
        }
    }

    private final WindowStep<V, W, S> step;
    private final long lateness;
    private final boolean metaOn;
    private final WindowerLogic<Object> windower;
    private final LongConsumer lateSink = id -> out.emit(new LateItem<>(id, current()));
    /** Values waiting for the watermark (ordered steps, or a key resumed with some); else null. */
    private final Pending<V> pending;
    private Win<V, W, S> cached;
    private V current;

    WindowKeyLogic(WindowStep<V, W, S> step, WindowState resume) throws Exception {
        this(step, step.clock().build(resume == null ? null : resume.clock()), resume);
    }

    /** A key's logic with a live clock and the windows of {@code resume}, whose clock state is not read. */
    @SuppressWarnings("unchecked")
    WindowKeyLogic(WindowStep<V, W, S> step, ClockLogic<V, Object> clock, WindowState resume) throws Exception {
        super(clock);
        this.step = step;
        this.lateness = step.lateness();
        this.metaOn = step.meta().isOn();
        this.windower = step.windower().build(resume == null ? null : resume.windower());
        boolean waiting = resume != null && !resume.pending().isEmpty();
        this.pending = step.ordered() || waiting ? new Pending<>() : null;
        if (waiting) {
            for (WindowState.Pending p : resume.pending()) {
                pending.add(p.time(), (V) p.value());
            }
        }
        if (resume != null) {
            for (WindowState.Window s : resume.windows()) {
                Win<V, W, S> w = new Win<>(s.id(), step.logic().build((S) s.state()));
                w.fires = s.fires();
                w.dirty = s.dirty();
                w.merged = s.merged();
                w.metaOpen = s.metaOpen();
                w.metaClose = s.metaClose();
                w.closesAt = windower.closesAt(s.id());
                w.due = dueAt(w);
                add(w);
            }
        }
    }

    private V current() {
        return current;
    }

    @Override
    public void onBatch(List<V> values, Emitter<Object> out) throws Exception {
        this.out = out;
        clock.beforeBatch(out.systemTimeMillis());
        for (int i = 0, n = values.size(); i < n; i++) {
            V v = values.get(i);
            current = v;
            long ts = clock.onItem(v);
            long wm = forward(clock.watermark());
            if (ts < Sat.sub(wm, lateness)) {
                windower.lateFor(ts, lateSink);
            } else if (pending == null || pending.isEmpty() && ts <= wm) {
                place(ts, v, wm);
            } else {
                pending.add(ts, v);
            }
            if (wm >= firstDue()) {
                closeDue(wm);
            }
        }
        current = null;
        maybeDiscard();
    }

    /** Hands a value that is not late to its windows, merging sessions it bridges. */
    private void place(long ts, V v, long wm) throws Exception {
        current = v;
        try {
            windower.openFor(ts, wm, this);
        } catch (WindowFailure f) {
            throw (Exception) f.getCause();
        }
        List<WindowerLogic.Merge> merges = windower.merged();
        if (!merges.isEmpty()) {
            merge(merges);
        }
    }

    /** Applies, in timestamp order, the waiting values the watermark {@code wm} reached. */
    private void applyDue(long wm) throws Exception {
        if (pending != null) {
            // Not empty checked first: an empty queue's first time is +infinity, which end of input reaches.
            while (!pending.isEmpty() && pending.firstTime() <= wm) {
                long ts = pending.firstTime();
                place(ts, pending.take(), wm);
            }
            current = null;
        }
    }

    /** The watermark at which the next window is due or the first waiting value is applied. */
    @Override
    long firstDue() {
        long due = super.firstDue();
        return pending == null ? due : Math.min(due, pending.firstTime());
    }

    /** A window the current value belongs to. */
    @Override
    public void accept(long id) {
        Win<V, W, S> w = cached;
        if (w == null || w.id != id) {
            w = get(id);
            if (w == null) {
                w = open(id);
            }
            cached = w;
        }
        if (w.fires > 0) {
            w.dirty = true;
        }
        long closesAt = windower.closesAt(id);
        if (closesAt != w.closesAt || w.dirty) {
            w.closesAt = closesAt;
            update(w, dueAt(w));
        }
        resultWindow = id;
        resultUpdate = w.fires;
        try {
            w.logic.onValue(current, this);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new WindowFailure(e);
        }
    }

    private Win<V, W, S> open(long id) {
        Win<V, W, S> w;
        try {
            w = new Win<>(id, step.logic().build(null));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new WindowFailure(e);
        }
        w.closesAt = windower.closesAt(id);
        w.due = w.closesAt;
        add(w);
        emitMeta(w);
        return w;
    }

    private void merge(List<WindowerLogic.Merge> merges) throws Exception {
        for (WindowerLogic.Merge m : merges) {
            if (m.original() == m.target()) {
                continue;
            }
            Win<V, W, S> from = get(m.original());
            remove(from);
            Win<V, W, S> into = get(m.target());
            if (cached == from) {
                cached = null;
            }
            resultWindow = into.id;
            resultUpdate = into.fires;
            into.logic.onMerge(from.logic.snapshot(), this);
            if (from.fires > 0 || into.fires > 0) {
                into.dirty = true;
            }
            into.fires = Math.max(into.fires, from.fires);
            List<Long> ids = new ArrayList<>(into.merged.size() + from.merged.size() + 1);
            ids.addAll(into.merged);
            ids.add(from.id);
            ids.addAll(from.merged);
            into.merged = Collections.unmodifiableList(ids);
            into.closesAt = windower.closesAt(into.id);
            update(into, dueAt(into));
            emitMeta(into);
        }
    }

    private long dueAt(Win<V, W, S> w) {
        return w.fires == 0 || w.dirty ? w.closesAt : Sat.add(w.closesAt, lateness);
    }

    /**
     * Fires the windows whose close the watermark reached, in order of close time then id, and
     * drops those past their lateness.
     */
    @Override
    void closeDue(long wm) throws Exception {
        applyDue(wm);
        Win<V, W, S> w;
        while ((w = first()) != null && w.due <= wm) {
            if (fireAndKeep(w, wm, wm)) {
                update(w, dueAt(w));
            } else {
                remove(w);
            }
        }
    }

    /**
     * Fires {@code w} if the watermark {@code fireTo} reached its close and it has something new;
     * returns whether it is kept, that is whether {@code dropTo} has not passed it by the allowance.
     * A window not kept is forgotten by the windower; the caller takes it out of the table.
     */
    private boolean fireAndKeep(Win<V, W, S> w, long fireTo, long dropTo) throws Exception {
        if ((w.fires == 0 || w.dirty) && w.closesAt <= fireTo) {
            fire(w);
        }
        if (Sat.add(w.closesAt, lateness) > dropTo) {
            return true;
        }
        windower.remove(w.id);
        if (cached == w) {
            cached = null;
        }
        return false;
    }

    private void fire(Win<V, W, S> w) throws Exception {
        if (metaOn && (w.metaOpen != windower.openTime(w.id) || w.metaClose != windower.closeTime(w.id))) {
            emitMeta(w);
        }
        resultWindow = w.id;
        resultUpdate = w.fires;
        w.logic.onClose(this);
        w.fires++;
        w.dirty = false;
    }

    /**
     * End of input fires every window the end-of-input watermark reaches, in the order {@link
     * #closeDue} would. That watermark is +infinity for the built-in clocks, and with allowed
     * lateness the fired windows are then kept, not dropped: +infinity only closes them early,
     * the watermark before the end had not passed any of them by the allowance, and the snapshot
     * taken at the end keeps them. A flow resumed after end of input, from a source that has more
     * since, then updates them as late items would. Dropped, a resumed item opened its window
     * afresh and its result came out as a first one beside the first result of before (found by a
     * review). A clock whose end-of-input watermark is finite is taken at its word: what that
     * watermark passes by the allowance is dropped, as {@code closeDue} drops it. Without lateness
     * every window is dropped, as in Bytewax: results carry no updates then.
     */
    @Override
    public void onEof(Emitter<Object> out) throws Exception {
        if (lateness == 0) {
            super.onEof(out);
            return;
        }
        this.out = out;
        long end = Math.max(clock.onEof(), lastWatermark());
        long dropTo = end == Long.MAX_VALUE ? lastWatermark() : end;
        applyDue(end);
        // Taken out of the heap in firing order first: a kept window goes back due no later than end.
        List<Win<V, W, S>> reached = new ArrayList<>();
        for (Win<V, W, S> w = first(); w != null && w.due <= end; w = first()) {
            remove(w);
            reached.add(w);
        }
        for (Win<V, W, S> w : reached) {
            if (fireAndKeep(w, end, dropTo)) {
                w.due = dueAt(w);
                add(w);
            }
        }
        maybeDiscard();
    }

    private void emitMeta(Win<V, W, S> w) {
        if (!metaOn) {
            return;
        }
        w.metaOpen = windower.openTime(w.id);
        w.metaClose = windower.closeTime(w.id);
        out.emit(new WindowMeta(w.id, w.metaOpen, w.metaClose, w.merged));
    }

    @Override
    boolean keepsNoWindows() {
        return size() == 0 && windower.isEmpty() && (pending == null || pending.isEmpty());
    }

    @Override
    public WindowState snapshot() {
        List<WindowState.Window> ws = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            Win<V, W, S> w = at(i);
            ws.add(new WindowState.Window(w.id, w.logic.snapshot(), w.fires, w.dirty, w.merged, w.metaOpen,
                    w.metaClose));
        }
        ws.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new WindowState(clock.snapshot(), windower.snapshot(), Collections.unmodifiableList(ws),
                pending == null ? List.of() : pending.snapshot());
    }
}
