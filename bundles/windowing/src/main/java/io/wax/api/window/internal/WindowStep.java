package io.wax.api.window.internal;

import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.plan.PerValue;
import io.wax.plan.UserCode;
import io.wax.api.window.Clock;
import io.wax.api.window.WindowLogic;
import io.wax.api.window.Windower;

/**
 * Everything one window step needs to build a key's logic: the clock, the windower, the builder
 * of each window's logic, the allowed lateness (ms, 0 = none), whether the flow reads the
 * metadata and whether values are applied in timestamp order (Bytewax's {@code ordered}). The
 * user function named in errors is {@code userFn}.
 */
public record WindowStep<V, W, S>(Clock<V, Object> clock, Windower<Object> windower,
                                  WindowLogic.Builder<V, W, S> logic, long lateness, MetaSwitch meta,
                                  Object userFn, boolean ordered)
        implements StatefulBatchBuilder<V, Object, WindowState>, UserCode, PerValue {
    /** An unordered step: values are applied in arrival order. */
    public WindowStep(Clock<V, Object> clock, Windower<Object> windower, WindowLogic.Builder<V, W, S> logic,
                      long lateness, MetaSwitch meta, Object userFn) {
        this(clock, windower, logic, lateness, meta, userFn, false);
    }

    /**
     * The lean logic for sliding windows serves unordered steps without lateness; everything else,
     * and a key resumed with values still waiting (the step was ordered before), gets the general
     * one.
     */
    @Override
    public StatefulBatchLogic<V, Object, WindowState> build(WindowState resume) throws Exception {
        if (!ordered && lateness == 0 && (Object) windower instanceof SlidingWindowerLogic sliding
                && refiresNothing(resume) && (resume == null || resume.pending().isEmpty())) {
            return new SlidingKeyLogic<>(this, sliding, resume);
        }
        return new WindowKeyLogic<>(this, resume);
    }

    /**
     * Whether a resumed key's windows are all unfired: a state written with allowed lateness (the
     * flow changed since) may keep fired windows, which only the general logic can re-fire.
     */
    private static boolean refiresNothing(WindowState resume) {
        if (resume != null) {
            for (WindowState.Window w : resume.windows()) {
                if (w.fires() > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public Object userFunction() {
        return userFn;
    }
}
