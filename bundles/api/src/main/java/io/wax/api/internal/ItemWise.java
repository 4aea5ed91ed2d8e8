package io.wax.api.internal;

import io.wax.api.BatchFn;
import io.wax.plan.KeyedBatch;
import io.wax.plan.PerItem;
import io.wax.plan.UserCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A per-item operator as a batch function. The engine may fuse a chain of these into one pass
 * ({@link PerItem}); unfused, {@link #apply(List)} runs the same per-item body over a batch.
 */
public final class ItemWise<T, R> implements BatchFn<T, R>, PerItem<T, R>, UserCode {
    private final Object user;
    private final PerItem<T, R> body;
    private final boolean keyed;

    public ItemWise(Object user, PerItem<T, R> body) {
        this(user, body, false);
    }

    /** @param keyed whether every item this step emits is a {@code KV} (see {@link PerItem#keyed()}) */
    public ItemWise(Object user, PerItem<T, R> body, boolean keyed) {
        this.user = user;
        this.body = body;
        this.keyed = keyed;
    }

    @Override
    public boolean keyed() {
        return keyed;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<R> apply(List<T> batch) throws Exception {
        List<R> out = keyed ? (List) new KeyedBatch<>(batch.size()) : new ArrayList<>(batch.size());
        // A keyed batch takes keyed items as key and value apart (PerItem.KeyedNext).
        PerItem.Next<R> add = keyed ? (PerItem.Next) out : out::add;
        for (int i = 0, n = batch.size(); i < n; i++) {
            body.apply(batch.get(i), add);
        }
        return out;
    }

    @Override
    public void apply(T item, Next<? super R> next) throws Exception {
        body.apply(item, next);
    }

    @Override
    public Object userFunction() {
        return user;
    }
}
