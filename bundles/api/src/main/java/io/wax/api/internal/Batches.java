package io.wax.api.internal;

import io.wax.api.BatchFn;
import io.wax.api.FilterFn;
import io.wax.api.FilterMapFn;
import io.wax.api.FlatMapFn;
import io.wax.api.KV;
import io.wax.api.KeyFn;
import io.wax.api.MapFn;
import io.wax.plan.PerItem;

/** The per-item operators as batch functions: the bodies of map, filter, flat_map and friends. */
public final class Batches {
    private Batches() {
    }

    public static <T, R> BatchFn<T, R> map(MapFn<? super T, ? extends R> fn) {
        return new ItemWise<T, R>(fn, (item, next) -> next.accept(fn.apply(item)));
    }

    public static <T> BatchFn<T, T> filter(FilterFn<? super T> fn) {
        return new ItemWise<T, T>(fn, (item, next) -> {
            if (fn.test(item)) {
                next.accept(item);
            }
        });
    }

    public static <T, R> BatchFn<T, R> filterMap(FilterMapFn<? super T, ? extends R> fn) {
        return new ItemWise<T, R>(fn, (item, next) -> {
            R r = fn.apply(item);
            if (r != null) {
                next.accept(r);
            }
        });
    }

    public static <T, R> BatchFn<T, R> flatMap(FlatMapFn<? super T, ? extends R> fn) {
        return new ItemWise<T, R>(fn, (item, next) -> {
            for (R r : fn.apply(item)) {
                next.accept(r);
            }
        });
    }

    @SuppressWarnings("unchecked")
    public static <T> BatchFn<T, KV<T>> keyOn(KeyFn<? super T> fn) {
        return new ItemWise<T, KV<T>>(fn, (item, next) -> {
            String key = fn.key(item);
            if (key == null) {
                throw new IllegalArgumentException("key function returned null for item " + item
                        + ": every keyed item needs a non-null String key");
            }
            if ((Object) next instanceof PerItem.KeyedNext<?> k) {
                // Straight into a keyed batch: no KV to make, whatever the JIT inlines.
                ((PerItem.KeyedNext<T>) k).accept(key, item);
            } else {
                next.accept(new KV<>(key, item));
            }
        }, true);
    }

    public static <V, R> MapFn<KV<V>, KV<R>> onValue(MapFn<? super V, ? extends R> fn) {
        return kv -> new KV<>(kv.key(), fn.apply(kv.value()));
    }
}
