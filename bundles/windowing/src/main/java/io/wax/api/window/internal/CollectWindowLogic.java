package io.wax.api.window.internal;

import io.wax.api.window.WindowLogic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Collects a window's values into a list, a set (first occurrence kept) or a map (later values
 * replace earlier ones), in the order the step applies them: timestamp order when ordered (the
 * default), arrival order when not. Results and snapshots are unmodifiable copies. On a merge
 * the merged window's contents follow this window's.
 */
public final class CollectWindowLogic {
    private CollectWindowLogic() {
    }

    public static <V> WindowLogic.Builder<V, List<V>, List<V>> list() {
        return resume -> new Into<V, List<V>>(resume == null ? new ArrayList<>() : new ArrayList<>(resume),
                c -> Collections.unmodifiableList(new ArrayList<>(c)));
    }

    public static <V> WindowLogic.Builder<V, Set<V>, Set<V>> set() {
        return resume -> new Into<V, Set<V>>(resume == null ? new LinkedHashSet<>() : new LinkedHashSet<>(resume),
                c -> Collections.unmodifiableSet(new LinkedHashSet<>(c)));
    }

    public static <V, K, X> WindowLogic.Builder<V, Map<K, X>, Map<K, X>> map(
            Function<? super V, ? extends K> key, Function<? super V, ? extends X> value) {
        return resume -> new MapInto<>(key, value, resume);
    }

    private static final class Into<V, C extends Collection<V>> implements WindowLogic<V, C, C> {
        private final C values;
        private final Function<C, C> copy;

        Into(C values, Function<C, C> copy) {
            this.values = values;
            this.copy = copy;
        }

        @Override
        public void onValue(V value, Consumer<? super C> out) {
            values.add(value);
        }

        @Override
        public void onMerge(C original, Consumer<? super C> out) {
            values.addAll(original);
        }

        @Override
        public void onClose(Consumer<? super C> out) {
            out.accept(copy.apply(values));
        }

        @Override
        public C snapshot() {
            return copy.apply(values);
        }
    }

    private static final class MapInto<V, K, X> implements WindowLogic<V, Map<K, X>, Map<K, X>> {
        private final Function<? super V, ? extends K> key;
        private final Function<? super V, ? extends X> value;
        private final LinkedHashMap<K, X> map;

        MapInto(Function<? super V, ? extends K> key, Function<? super V, ? extends X> value, Map<K, X> resume) {
            this.key = key;
            this.value = value;
            this.map = resume == null ? new LinkedHashMap<>() : new LinkedHashMap<>(resume);
        }

        @Override
        public void onValue(V v, Consumer<? super Map<K, X>> out) {
            map.put(key.apply(v), value.apply(v));
        }

        @Override
        public void onMerge(Map<K, X> original, Consumer<? super Map<K, X>> out) {
            map.putAll(original);
        }

        @Override
        public void onClose(Consumer<? super Map<K, X>> out) {
            out.accept(snapshot());
        }

        @Override
        public Map<K, X> snapshot() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
    }
}
