package io.wax.api.internal;

import io.wax.api.Emitter;
import io.wax.api.JoinEmit;
import io.wax.api.JoinInsert;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The logic of join. Each side keeps a list of values (at most one unless the insert mode is
 * PRODUCT); emitted rows hold one value per side, {@code null} where a side has none.
 */
public final class JoinLogic implements StatefulBatchLogic<JoinLogic.Tagged, List<Object>, List<List<Object>>> {
    /** A value of side {@code side}, as it travels through the merged stream. */
    public record Tagged(int side, Object value) {
    }

    private final JoinInsert insert;
    private final JoinEmit emit;
    private final List<List<Object>> sides;

    private JoinLogic(int n, JoinInsert insert, JoinEmit emit, List<List<Object>> resume) {
        this.insert = insert;
        this.emit = emit;
        this.sides = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sides.add(resume == null ? new ArrayList<>() : new ArrayList<>(resume.get(i)));
        }
    }

    public static StatefulBatchBuilder<Tagged, List<Object>, List<List<Object>>> builder(
            int n, JoinInsert insert, JoinEmit emit) {
        return resume -> new JoinLogic(n, insert, emit, resume);
    }

    @Override
    public void onBatch(List<Tagged> values, Emitter<List<Object>> out) {
        for (Tagged t : values) {
            List<Object> side = sides.get(t.side());
            switch (insert) {
                case FIRST -> {
                    if (side.isEmpty()) {
                        side.add(t.value());
                    }
                }
                case LAST -> {
                    side.clear();
                    side.add(t.value());
                }
                case PRODUCT -> side.add(t.value());
            }
            if (emit == JoinEmit.RUNNING) {
                emitRows(out, true);
            } else if (emit == JoinEmit.COMPLETE && sides.stream().noneMatch(List::isEmpty)) {
                emitRows(out, false);
                sides.forEach(List::clear);
            }
        }
        if (sides.stream().allMatch(List::isEmpty)) {
            out.discardState();
        }
    }

    @Override
    public void onEof(Emitter<List<Object>> out) {
        if (emit == JoinEmit.FINAL) {
            emitRows(out, true);
        }
        out.discardState();
    }

    @Override
    public List<List<Object>> snapshot() {
        List<List<Object>> copy = new ArrayList<>(sides.size());
        for (List<Object> s : sides) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(s)));
        }
        return Collections.unmodifiableList(copy);
    }

    /** Emits the cross product of the sides; a missing side contributes one {@code null}. */
    private void emitRows(Emitter<List<Object>> out, boolean allowMissing) {
        if (!allowMissing && sides.stream().anyMatch(List::isEmpty)) {
            return;
        }
        product(out, new Object[sides.size()], 0);
    }

    private void product(Emitter<List<Object>> out, Object[] row, int i) {
        if (i == row.length) {
            out.emit(Collections.unmodifiableList(Arrays.asList(row.clone())));
            return;
        }
        List<Object> side = sides.get(i);
        if (side.isEmpty()) {
            row[i] = null;
            product(out, row, i + 1);
        } else {
            for (Object v : side) {
                row[i] = v;
                product(out, row, i + 1);
            }
        }
    }
}
