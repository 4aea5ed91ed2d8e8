package io.wax.api.internal;

import io.wax.api.BatchFn;
import io.wax.api.FilterFn;
import io.wax.api.FilterMapFn;
import io.wax.api.FlatMapFn;
import io.wax.api.KV;
import io.wax.api.KeyFn;
import io.wax.api.MapFn;
import java.util.ArrayList;
import java.util.List;

/** The per-item operators as batch functions: the bodies of map, filter, flat_map and friends. */
public final class Batches {
    private Batches() {
    }

    public static <T, R> BatchFn<T, R> map(MapFn<? super T, ? extends R> fn) {
        return new Wrapped<>(fn, batch -> {
            ArrayList<R> out = new ArrayList<>(batch.size());
            for (int i = 0, n = batch.size(); i < n; i++) {
                out.add(fn.apply(batch.get(i)));
            }
            return out;
        });
    }

    public static <T> BatchFn<T, T> filter(FilterFn<? super T> fn) {
        return new Wrapped<>(fn, batch -> {
            int n = batch.size();
            int i = 0;
            // Batches are immutable, so a batch that keeps every item is passed on without a copy.
            while (i < n && fn.test(batch.get(i))) {
                i++;
            }
            if (i == n) {
                return batch;
            }
            ArrayList<T> out = new ArrayList<>(n);
            out.addAll(batch.subList(0, i));
            for (i++; i < n; i++) {
                T t = batch.get(i);
                if (fn.test(t)) {
                    out.add(t);
                }
            }
            return out;
        });
    }

    public static <T, R> BatchFn<T, R> filterMap(FilterMapFn<? super T, ? extends R> fn) {
        return new Wrapped<>(fn, batch -> {
            ArrayList<R> out = new ArrayList<>(batch.size());
            for (int i = 0, n = batch.size(); i < n; i++) {
                R r = fn.apply(batch.get(i));
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        });
    }

    public static <T, R> BatchFn<T, R> flatMap(FlatMapFn<? super T, ? extends R> fn) {
        return new Wrapped<>(fn, batch -> {
            ArrayList<R> out = new ArrayList<>(batch.size());
            for (int i = 0, n = batch.size(); i < n; i++) {
                for (R r : fn.apply(batch.get(i))) {
                    out.add(r);
                }
            }
            return out;
        });
    }

    public static <T> BatchFn<T, KV<T>> keyOn(KeyFn<? super T> fn) {
        return new Wrapped<>(fn, batch -> {
            ArrayList<KV<T>> out = new ArrayList<>(batch.size());
            for (int i = 0, n = batch.size(); i < n; i++) {
                T t = batch.get(i);
                String key = fn.key(t);
                if (key == null) {
                    throw new IllegalArgumentException("key function returned null for item " + t
                            + ": every keyed item needs a non-null String key");
                }
                out.add(new KV<>(key, t));
            }
            return out;
        });
    }

    public static <V, R> MapFn<KV<V>, KV<R>> onValue(MapFn<? super V, ? extends R> fn) {
        return kv -> new KV<>(kv.key(), fn.apply(kv.value()));
    }
}
