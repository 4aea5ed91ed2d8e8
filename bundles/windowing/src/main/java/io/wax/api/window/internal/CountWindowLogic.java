package io.wax.api.window.internal;

import io.wax.api.window.WindowLogic;
import java.util.function.Consumer;

/** Counts a window's values with a primitive counter (the hot path of count). */
public final class CountWindowLogic<V> implements WindowLogic<V, Long, Long> {
    private long count;

    static final WindowLogic.Builder<Object, Long, Long> BUILDER = resume -> {
        CountWindowLogic<Object> c = new CountWindowLogic<>();
        c.count = resume == null ? 0 : resume;
        return c;
    };

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <V> WindowLogic.Builder<V, Long, Long> builder() {
        return (WindowLogic.Builder) BUILDER;
    }

    @Override
    public void onValue(V value, Consumer<? super Long> out) {
        count++;
    }

    @Override
    public void onMerge(Long original, Consumer<? super Long> out) {
        count += original;
    }

    @Override
    public void onClose(Consumer<? super Long> out) {
        out.accept(count);
    }

    @Override
    public Long snapshot() {
        return count;
    }
}
