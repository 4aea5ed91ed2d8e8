package io.wax.api.internal;

import io.wax.api.BatchFn;
import io.wax.api.plan.UserCode;
import java.util.List;

/** A batch function built by a derived operator around a user's function, which errors name. */
public final class Wrapped<T, R> implements BatchFn<T, R>, UserCode {
    private final Object user;
    private final BatchFn<T, R> body;

    public Wrapped(Object user, BatchFn<T, R> body) {
        this.user = user;
        this.body = body;
    }

    @Override
    public List<R> apply(List<T> batch) throws Exception {
        return body.apply(batch);
    }

    @Override
    public Object userFunction() {
        return user;
    }
}
