package io.wax.api.window.internal;

import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.plan.UserCode;
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
        implements StatefulBatchBuilder<V, Object, WindowState>, UserCode {
    @Override
    public StatefulBatchLogic<V, Object, WindowState> build(WindowState resume) throws Exception {
        return new WindowKeyLogic<>(this, resume);
    }

    @Override
    public Object userFunction() {
        return userFn;
    }
}
