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
 * of each window's logic, the allowed lateness (ms, 0 = none) and whether the flow reads the
 * metadata. The user function named in errors is {@code userFn}.
 */
public record WindowStep<V, W, S>(Clock<V, Object> clock, Windower<Object> windower,
                                  WindowLogic.Builder<V, W, S> logic, long lateness, MetaSwitch meta,
                                  Object userFn)
        implements StatefulBatchBuilder<V, Object, WindowState>, UserCode, PerValue {
    @Override
    public StatefulBatchLogic<V, Object, WindowState> build(WindowState resume) throws Exception {
        if (lateness == 0 && (Object) windower instanceof SlidingWindowerLogic sliding && refiresNothing(resume)) {
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
