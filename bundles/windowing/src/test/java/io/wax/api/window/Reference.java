package io.wax.api.window;

import io.wax.api.window.LateItem;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A brute-force model of the window operators over {@link Win.Ev} streams, for the property test.
 * It works in whole minutes with the watermark of {@link Win#CLOCK} taken as "largest timestamp
 * seen minus half a minute" (the test runs far faster than 30 s of system time). It recomputes
 * what it can from scratch instead of tracking it: the windows an item is in are found by trying
 * every window near it, sessions by regrouping every kept item after each new one, and results
 * by folding a window's whole item list when it fires. Ordered, it holds back each item that is not
 * late until the watermark reaches it, then takes the held items in timestamp order (a stable
 * sort, so equal timestamps keep their arrival order).
 */
final class Reference {
    /** A windower under test, described for both the operator and the model. */
    record Spec(String kind, long length, long offset, long align, long gap) {
        @Override
        public String toString() {
            return kind.equals("session") ? "session(gap=" + gap + ")"
                    : kind + "(len=" + length + ", off=" + offset + ", align=" + align + ")";
        }
    }

    /** What a window computes, restated for the model: emits into {@code out}. */
    interface Model {
        void onValue(Win.Ev e, List<Object> out);

        void onMerge(Model original, List<Object> out);

        void onClose(List<Object> out);
    }

    /** A model that keeps the window's items and computes its result from all of them when it fires. */
    static Supplier<Model> folding(Function<List<Win.Ev>, Object> result) {
        return () -> new Folding(result);
    }

    private static final class Folding implements Model {
        final Function<List<Win.Ev>, Object> result;
        final List<Win.Ev> items = new ArrayList<>();

        Folding(Function<List<Win.Ev>, Object> result) {
            this.result = result;
        }

        @Override
        public void onValue(Win.Ev e, List<Object> out) {
            items.add(e);
        }

        @Override
        public void onMerge(Model original, List<Object> out) {
            items.addAll(((Folding) original).items);
        }

        @Override
        public void onClose(List<Object> out) {
            out.add(result.apply(items));
        }
    }

    private final class RefWin {
        final long id;
        final List<Win.Ev> items = new ArrayList<>();
        final Model model = models.get();
        int fires;
        boolean dirty;
        List<Long> merged = List.of();
        long metaOpen;
        long metaClose;

        RefWin(long id) {
            this.id = id;
        }
    }

    record Out(Map<String, List<WindowResult<Object>>> down, Map<String, List<LateItem<Win.Ev>>> late,
               Map<String, List<WindowMeta>> meta) {
    }

    private final Spec spec;
    private final long lateness;
    private final Supplier<Model> models;
    private final boolean ordered;

    Reference(Spec spec, long lateness, Supplier<Model> models, boolean ordered) {
        this.spec = spec;
        this.lateness = lateness;
        this.models = models;
        this.ordered = ordered;
    }

    Out run(Map<String, List<Win.Ev>> byKey) {
        Map<String, List<WindowResult<Object>>> down = new TreeMap<>();
        Map<String, List<LateItem<Win.Ev>>> late = new TreeMap<>();
        Map<String, List<WindowMeta>> meta = new TreeMap<>();
        byKey.forEach((key, evs) -> {
            Key k = new Key();
            for (Win.Ev e : evs) {
                k.item(e);
            }
            k.release(Double.POSITIVE_INFINITY);
            k.fire(Double.POSITIVE_INFINITY);
            if (!k.down.isEmpty()) {
                down.put(key, k.down);
            }
            if (!k.late.isEmpty()) {
                late.put(key, k.late);
            }
            if (!k.meta.isEmpty()) {
                meta.put(key, k.meta);
            }
        });
        return new Out(down, late, meta);
    }

    private final class Key {
        final List<WindowResult<Object>> down = new ArrayList<>();
        final List<LateItem<Win.Ev>> late = new ArrayList<>();
        final List<WindowMeta> meta = new ArrayList<>();
        final Map<Long, RefWin> windows = new LinkedHashMap<>();
        /** Sessions are numbered in the order they open. */
        long nextSession;
        /** Ordered: the items held until the watermark reaches them, in arrival order. */
        final List<Win.Ev> held = new ArrayList<>();
        Long maxT;

        void item(Win.Ev e) {
            long ts = e.minute();
            maxT = maxT == null ? ts : Math.max(maxT, ts);
            double wm = maxT - 0.5;
            boolean session = spec.kind().equals("session");
            if (ts < wm - lateness) {
                if (session) {
                    late.add(new LateItem<>(LateItem.LATE_SESSION, e));
                } else {
                    for (long k : slidingWindowsOf(ts)) {
                        late.add(new LateItem<>(k, e));
                    }
                }
            } else if (ordered) {
                held.add(e);
            } else {
                place(e);
            }
            release(wm);
            fire(wm);
        }

        /** Ordered: places the held items the watermark reached, earliest first. */
        void release(double wm) {
            List<Win.Ev> due = new ArrayList<>();
            for (Win.Ev e : held) {
                if (e.minute() <= wm) {
                    due.add(e);
                }
            }
            held.removeAll(due);
            due.sort(Comparator.comparingLong(Win.Ev::minute));
            due.forEach(this::place);
        }

        void place(Win.Ev e) {
            long ts = e.minute();
            boolean session = spec.kind().equals("session");
            if (session) {
                session(e);
            } else {
                for (long k : slidingWindowsOf(ts)) {
                    RefWin w = windows.get(k);
                    if (w == null) {
                        w = new RefWin(k);
                        windows.put(k, w);
                        emitMeta(w);
                    }
                    if (w.fires > 0) {
                        w.dirty = true;
                    }
                    w.items.add(e);
                    Model m = w.model;
                    emit(w, w.fires, out -> m.onValue(e, out));
                }
            }
        }

        /** Every window containing ts, found by trying the windows around it. */
        List<Long> slidingWindowsOf(long ts) {
            List<Long> ks = new ArrayList<>();
            long center = Math.floorDiv(ts - spec.align(), spec.offset());
            for (long k = center - spec.length() / spec.offset() - 2; k <= center + 2; k++) {
                long open = spec.align() + k * spec.offset();
                if (open <= ts && ts < open + spec.length()) {
                    ks.add(k);
                }
            }
            return ks;
        }

        void session(Win.Ev e) {
            // Regroup every kept item and the new one from scratch.
            List<Win.Ev> all = new ArrayList<>();
            Map<Win.Ev, List<RefWin>> owner = new LinkedHashMap<>();
            for (RefWin w : windows.values()) {
                all.addAll(w.items);
            }
            all.add(e);
            all.sort(Comparator.comparingLong(Win.Ev::minute));
            long lo = e.minute();
            long hi = e.minute();
            int at = all.indexOf(e);
            for (int i = at; i > 0 && all.get(i).minute() - all.get(i - 1).minute() <= spec.gap(); i--) {
                lo = all.get(i - 1).minute();
            }
            for (int i = at; i + 1 < all.size() && all.get(i + 1).minute() - all.get(i).minute() <= spec.gap(); i++) {
                hi = all.get(i + 1).minute();
            }
            List<RefWin> prior = new ArrayList<>();
            for (RefWin w : windows.values()) {
                long first = first(w);
                if (first >= lo && first <= hi) {
                    prior.add(w);
                }
            }
            prior.sort(Comparator.comparingLong(this::first));
            if (prior.isEmpty()) {
                RefWin w = new RefWin(nextSession++);
                w.items.add(e);
                windows.put(w.id, w);
                emitMeta(w);
                emit(w, 0, out -> w.model.onValue(e, out));
                return;
            }
            RefWin into = prior.get(0);
            if (into.fires > 0) {
                into.dirty = true;
            }
            into.items.add(e);
            emit(into, into.fires, out -> into.model.onValue(e, out));
            for (RefWin from : prior.subList(1, prior.size())) {
                windows.remove(from.id);
                into.items.addAll(from.items);
                emit(into, into.fires, out -> into.model.onMerge(from.model, out));
                if (from.fires > 0 || into.fires > 0) {
                    into.dirty = true;
                }
                into.fires = Math.max(into.fires, from.fires);
                List<Long> ids = new ArrayList<>(into.merged);
                ids.add(from.id);
                ids.addAll(from.merged);
                into.merged = ids;
                emitMeta(into);
            }
        }

        long first(RefWin w) {
            return w.items.stream().mapToLong(Win.Ev::minute).min().orElseThrow();
        }

        long last(RefWin w) {
            return w.items.stream().mapToLong(Win.Ev::minute).max().orElseThrow();
        }

        long open(RefWin w) {
            return spec.kind().equals("session") ? first(w) * Win.MINUTE
                    : (spec.align() + w.id * spec.offset()) * Win.MINUTE;
        }

        long close(RefWin w) {
            return spec.kind().equals("session") ? last(w) * Win.MINUTE
                    : (spec.align() + w.id * spec.offset() + spec.length()) * Win.MINUTE;
        }

        /** When the window is complete, in minutes. */
        double closesAt(RefWin w) {
            return spec.kind().equals("session") ? last(w) + spec.gap() + 1e-6
                    : spec.align() + w.id * spec.offset() + spec.length();
        }

        void emit(RefWin w, int update, java.util.function.Consumer<List<Object>> call) {
            List<Object> out = new ArrayList<>();
            call.accept(out);
            for (Object o : out) {
                down.add(new WindowResult<>(w.id, o, update));
            }
        }

        void emitMeta(RefWin w) {
            w.metaOpen = open(w);
            w.metaClose = close(w);
            meta.add(new WindowMeta(w.id, java.time.Instant.ofEpochMilli(w.metaOpen),
                    java.time.Instant.ofEpochMilli(w.metaClose), List.copyOf(w.merged)));
        }

        void fire(double wm) {
            List<RefWin> due = new ArrayList<>();
            for (RefWin w : windows.values()) {
                if ((w.fires == 0 || w.dirty) && closesAt(w) <= wm || closesAt(w) + lateness <= wm) {
                    due.add(w);
                }
            }
            due.sort(Comparator.<RefWin>comparingDouble(this::closesAt).thenComparingLong(w -> w.id));
            for (RefWin w : due) {
                if ((w.fires == 0 || w.dirty) && closesAt(w) <= wm) {
                    if (w.metaOpen != open(w) || w.metaClose != close(w)) {
                        emitMeta(w);
                    }
                    emit(w, w.fires, w.model::onClose);
                    w.fires++;
                    w.dirty = false;
                }
                if (closesAt(w) + lateness <= wm) {
                    windows.remove(w.id);
                }
            }
        }
    }
}
