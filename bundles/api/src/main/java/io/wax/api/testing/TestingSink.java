package io.wax.api.testing;

import io.wax.api.io.DynamicSink;
import io.wax.api.io.StatelessSinkPartition;
import io.wax.api.io.WorkerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps every item in memory, in the order the workers wrote them, for tests. The
 * same instance may be used for several runs; items accumulate.
 *
 * <pre>{@code
 * TestingSink<Integer> out = new TestingSink<>();
 * flow.input("inp", new TestingSource<>(List.of(1, 2))).output("out", out);
 * // run the flow, then:
 * assertEquals(List.of(1, 2), out.items());
 * }</pre>
 */
public final class TestingSink<T> implements DynamicSink<T> {
    private final List<T> items = new ArrayList<>();

    /** A copy of every item written so far. */
    public List<T> items() {
        synchronized (items) {
            return new ArrayList<>(items);
        }
    }

    public void clear() {
        synchronized (items) {
            items.clear();
        }
    }

    @Override
    public StatelessSinkPartition<T> build(WorkerContext ctx) {
        return batch -> {
            synchronized (items) {
                items.addAll(batch);
            }
        };
    }
}
