package io.wax.engine.testkit;

import io.wax.api.Dataflow;
import io.wax.engine.RunOptions;
import io.wax.engine.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers of the operator tests: runs with a worker count, compares multisets. */
public final class Flows {
    private Flows() {
    }

    /** The worker counts every operator test runs with. */
    public static final int[] WORKERS = {1, 2, 3};

    public static void run(Dataflow flow, int workers) {
        Runner.run(flow, RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(50)));
    }

    /** Items counted by value: equal multisets have equal counts. */
    public static <T> Map<T, Integer> multiset(List<T> items) {
        Map<T, Integer> m = new HashMap<>();
        for (T t : items) {
            m.merge(t, 1, Integer::sum);
        }
        return m;
    }

    /** 0, 1, ..., n-1. */
    public static List<Integer> range(int n) {
        List<Integer> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(i);
        }
        return xs;
    }
}
