package io.wax.engine;

import io.wax.spi.engine.RunOptions;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A flow waiting on a paused source and a timer sleeps: its workers burn (almost) no CPU. */
class IdleTest {
    @Test
    void pausedFlowUsesNoMeasurableCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpuNanos = new ConcurrentHashMap<>();
        Dataflow flow = new Dataflow("idle");
        flow.input("inp", new TestingSource<Integer>(List.of(1, TestingSource.pause(Duration.ofMillis(1500)), 2)))
                .inspectDebug("cpu", (step, x, epoch, worker) ->
                        cpuNanos.put(Thread.currentThread().getId(), mx.getCurrentThreadCpuTime()))
                .output("out", new TestingSink<>());
        long wall = System.nanoTime();
        Runner.run(flow, RunOptions.defaults().withWorkers(2));
        wall = System.nanoTime() - wall;
        assertTrue(wall >= 1_500_000_000L, "the pause was honoured");
        // Both items pass on the worker that owns the single partition; the CPU it used between
        // seeing item 1 and item 2 is measured by the two samples it took (the last one wins).
        long used = cpuNanos.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(used < 400_000_000L, "worker used " + used / 1_000_000 + " ms of CPU in a 1.5 s idle run");
    }
}
