package io.wax.api.window.internal;

import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.window.WindowLogic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The logic of a window join: each side keeps its values of the window (one, unless the insert
 * mode is PRODUCT). COMPLETE emits as soon as every side has a value and starts the window's
 * sides afresh; RUNNING emits after every value; FINAL emits when the window fires. Rows hold one
 * value per side, {@code null} for a side without one. On a merge the earlier session's FIRST
 * and the later session's LAST values win; PRODUCT keeps both.
 */
public final class JoinWindowLogic<V> implements WindowLogic<Tagged, List<V>, List<List<V>>> {
    private final JoinInsert insert;
    private final JoinEmit emit;
    private final List<ArrayList<V>> sides;

    private JoinWindowLogic(int n, JoinInsert insert, JoinEmit emit, List<List<V>> resume) {
        this.insert = insert;
        this.emit = emit;
        this.sides = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sides.add(resume == null ? new ArrayList<>(1) : new ArrayList<>(resume.get(i)));
        }
    }

    public static <V> WindowLogic.Builder<Tagged, List<V>, List<List<V>>> builder(int n, JoinInsert insert,
                                                                                  JoinEmit emit) {
        return resume -> new JoinWindowLogic<>(n, insert, emit, resume);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onValue(Tagged t, Consumer<? super List<V>> out) {
        add(sides.get(t.side()), Collections.singletonList((V) t.value()));
        afterChange(out, emit == JoinEmit.RUNNING);
    }

    @Override
    public void onMerge(List<List<V>> original, Consumer<? super List<V>> out) {
        for (int i = 0; i < sides.size(); i++) {
            add(sides.get(i), original.get(i));
        }
        afterChange(out, false);
    }

    private void add(ArrayList<V> side, List<V> values) {
        if (values.isEmpty()) {
            return;
        }
        switch (insert) {
            case FIRST -> {
                if (side.isEmpty()) {
                    side.add(values.get(0));
                }
            }
            case LAST -> {
                side.clear();
                side.add(values.get(values.size() - 1));
            }
            case PRODUCT -> side.addAll(values);
        }
    }

    private void afterChange(Consumer<? super List<V>> out, boolean running) {
        if (running) {
            product(out, new Object[sides.size()], 0);
        } else if (emit == JoinEmit.COMPLETE && sides.stream().noneMatch(List::isEmpty)) {
            product(out, new Object[sides.size()], 0);
            sides.forEach(List::clear);
        }
    }

    @Override
    public void onClose(Consumer<? super List<V>> out) {
        if (emit == JoinEmit.FINAL) {
            product(out, new Object[sides.size()], 0);
        }
    }

    @Override
    public List<List<V>> snapshot() {
        List<List<V>> copy = new ArrayList<>(sides.size());
        for (List<V> s : sides) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(s)));
        }
        return Collections.unmodifiableList(copy);
    }

    @SuppressWarnings("unchecked")
    private void product(Consumer<? super List<V>> out, Object[] row, int i) {
        if (i == row.length) {
            out.accept((List<V>) Collections.unmodifiableList(Arrays.asList(row.clone())));
            return;
        }
        List<V> side = sides.get(i);
        if (side.isEmpty()) {
            row[i] = null;
            product(out, row, i + 1);
        } else {
            for (V v : side) {
                row[i] = v;
                product(out, row, i + 1);
            }
        }
    }
}
