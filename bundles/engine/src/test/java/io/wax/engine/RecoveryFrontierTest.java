package io.wax.engine;

import io.wax.spi.engine.RunOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.Update;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed frontier, which a resumed run starts from, follows the epochs as they close on
 * every worker, including workers whose inputs have no partitions and finish at once.
 */
class RecoveryFrontierTest {
    private static final long TARGET_EPOCH = 6;

    /**
     * One partition: emits one item, then waits until the store's lowest committed frontier has
     * passed {@link #TARGET_EPOCH}, then ends; fails (rather than hangs) after a deadline.
     */
    private record WaitForFrontier(InMemoryRecoveryStore store) implements PartitionedSource<String, Integer> {
        @Override
        public List<String> listParts() {
            return List.of("only");
        }

        @Override
        public SourcePartition<String, Integer> buildPart(WorkerContext ctx, String part, Integer resume) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            return new SourcePartition<>() {
                boolean sent;

                @Override
                public List<String> nextBatch() {
                    if (!sent) {
                        sent = true;
                        return List.of("a");
                    }
                    if (store.lowestFrontier() > TARGET_EPOCH) {
                        return null;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the lowest committed frontier stayed at " + store.lowestFrontier());
                    }
                    return List.of();
                }

                @Override
                public Instant nextAwake() {
                    return Instant.now().plusMillis(5);
                }

                @Override
                public Integer snapshot() {
                    return sent ? 1 : 0;
                }
            };
        }
    }

    @Test
    void workersWithoutPartitionsDoNotHoldTheFrontierBack() {
        for (int workers = 2; workers <= 3; workers++) {
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            Dataflow flow = new Dataflow("frontier");
            flow.input("inp", new WaitForFrontier(store)).keyOn("key", s -> s)
                    .statefulMap("count", (Long n, String s) -> Update.of(1L, 1L))
                    .output("out", new TestingSink<>());
            Runner.run(flow, RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(10))
                    .withRecovery(store));
            assertTrue(store.lowestFrontier() > TARGET_EPOCH, "frontier " + store.lowestFrontier());
            // After the run, a new execution resumes after every epoch of this one.
            long resumed = store.begin(-1, workers);
            assertTrue(resumed > TARGET_EPOCH, "resumes at " + resumed);
            assertEquals(resumed, store.lowestFrontier());
        }
    }
}
