package io.wax.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSource;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.kafka.broker.LocalKafka;
import io.wax.kafka.broker.LocalKafkaExtension;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exactly-once sink's resume of the transactions a stopped run staged at its last durable
 * snapshot, on a real broker. The run is stopped between the snapshot becoming durable and the
 * commit of the transactions it staged (a kill -9 at that moment), then resumed:
 * <ul>
 *   <li>if the broker aborted such a transaction meanwhile (the process was down longer than
 *       {@code transaction.timeout.ms}), its output is lost, and the resume must fail saying so
 *       (it used to count the abort as "committed already" and carry on without that output);</li>
 *   <li>if the transaction was committed before the stop, the resume must carry on, writing every
 *       message once.</li>
 * </ul>
 */
@ExtendWith(LocalKafkaExtension.class)
class KafkaSinkEosResumeTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final int N = 1000;

    /** Items 0..n-1 in batches of 10, with pauses so that epochs and snapshots fall between them. */
    private static List<Object> items(int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                out.add(TestingSource.pause(Duration.ofMillis(30))); // a run of about 3 s: three snapshots
            }
            out.add(i);
        }
        return out;
    }

    private static Dataflow flow(TestingSource<Integer> source, KafkaSinkConfig<String, String> conf) {
        Dataflow flow = new Dataflow("eos");
        new KafkaSink<>(conf).write(flow.input("inp", source).map("msg", i -> KafkaSinkMessage.of("k" + i, "v" + i)),
                "out");
        return flow;
    }

    /**
     * A sink whose transactions the broker aborts 3 s after they begin: short, for a short test, yet
     * twice the snapshot interval plus restart allowance (900 + 500 ms) the start check asks for, so
     * that a busy machine does not time out a transaction of the first run before it stops.
     */
    private static KafkaSinkConfig<String, String> shortTimeout(LocalKafka kafka, String topic) {
        return KafkaSinkConfig.builder(List.of(kafka.bootstrap()), topic)
                .serdes(KafkaSerdes.string(), KafkaSerdes.string())
                .guarantee(KafkaSinkConfig.Guarantee.EXACTLY_ONCE)
                .transactionalIdPrefix("eos-resume-" + PREFIXES.incrementAndGet())
                .timeout(Duration.ofSeconds(3))
                .config("transaction.timeout.ms", 3000)
                .restartAllowance(Duration.ofMillis(500))
                .build();
    }

    private static RunOptions options(RecoveryStore store) {
        return RunOptions.defaults().withEpochInterval(Duration.ofMillis(20))
                .withSnapshotInterval(Duration.ofMillis(900)).withRecovery(store);
    }

    /** Thrown by a {@link Stopping} store: the process "dies" there. */
    private static final class Stop extends RuntimeException {
        Stop(String why) {
            super(why);
        }
    }

    /**
     * A recovery store that, at its {@code n}-th commit carrying a sink snapshot, runs {@code hook} and then stops the run (throws {@link Stop}), before or after
     * the commit is written. The worker calls it before it hears that the commit is durable, so the
     * transactions that snapshot staged are never committed by this run.
     */
    private static final class Stopping implements RecoveryStore {
        final InMemoryRecoveryStore inner = new InMemoryRecoveryStore();
        final int n;
        final boolean writeFirst;
        final Runnable hook;
        int commits;
        volatile boolean armed = true;
        volatile boolean stopped;

        Stopping(int n, boolean writeFirst, Runnable hook) {
            this.n = n;
            this.writeFirst = writeFirst;
            this.hook = hook;
        }

        @Override
        public long begin(long execution, int workerCount) {
            return inner.begin(execution, workerCount);
        }

        @Override
        public Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
            return inner.load(stepId, workerCount, workerIndex);
        }

        @Override
        public Map<String, byte[]> loadAll(String stepId) {
            return inner.loadAll(stepId);
        }

        @Override
        public void commit(int worker, long frontier, List<Snapshot> snapshots) {
            boolean staging = snapshots.stream().anyMatch(s -> s.stepId().endsWith(".out") && s.state() != null);
            boolean stop = armed && staging && ++commits == n;
            if (stop) {
                armed = false;
            }
            if (!stop || writeFirst) {
                inner.commit(worker, frontier, snapshots);
            }
            if (stop) {
                hook.run();
                stopped = true;
                throw new Stop("the process stops here (a kill -9 before the commit of the staged transactions)");
            }
        }
    }

    private static List<String> want(int n) {
        List<String> want = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            want.add("v" + i);
        }
        Collections.sort(want);
        return want;
    }

    @Test
    void aStagedTransactionTheBrokerAbortedWhileTheRunWasDownFailsTheResume(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-resume-aborted", 1);
        KafkaSinkConfig<String, String> conf = shortTimeout(kafka, topic);
        TestingSource<Integer> source = new TestingSource<>(items(N), 10);
        boolean[] staged = new boolean[1];
        // The snapshot is written (durable), then the process "is down" until the broker has aborted
        // the transaction that snapshot staged (transaction.timeout.ms), and "dies" before committing it.
        Stopping store = new Stopping(2, true, () -> {
            staged[0] = kafka.transactionOpen(topic);
            kafka.awaitTransactionsSettled(topic, Duration.ofSeconds(30));
        });
        RuntimeException first = assertThrows(RuntimeException.class, () -> Runner.run(flow(source, conf), options(store)));
        assertTrue(store.stopped, "the run failed before the staged transaction was found: " + first);
        assertTrue(staged[0], "no transaction was open when the run stopped, so nothing staged could be aborted");
        List<String> before = KafkaSinkEosTest.read(kafka, topic, true);

        FlowFailedException e = assertThrows(FlowFailedException.class,
                () -> Runner.run(flow(source, conf), options(store)),
                "the resume carried on past a staged transaction the broker had aborted: its output is lost");
        String m = e.getMessage();
        System.out.println("the resume stopped with: " + m);
        assertTrue(m.contains("transaction " + conf.transactionalIdPrefix() + "-0-") && m.contains("topic " + topic)
                && m.contains("is lost") && m.contains("the broker has since aborted that transaction")
                && m.contains("transaction.timeout.ms (3000 ms)") && m.contains("transaction.max.timeout.ms")
                && m.contains("run the flow again from its source"), m);
        assertTrue(!m.contains("\tat "), "a stack trace in the message: " + m);
        // The failed resume committed nothing, and the next resume still fails the same way.
        assertEquals(before, KafkaSinkEosTest.read(kafka, topic, true));
        FlowFailedException again = assertThrows(FlowFailedException.class,
                () -> Runner.run(flow(source, conf), options(store)));
        assertTrue(again.getMessage().contains("the broker has since aborted that transaction"), again.getMessage());
    }

    @Test
    void aStagedTransactionCommittedBeforeTheStopIsTakenAsCommitted(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-resume-committed", 1);
        KafkaSinkConfig<String, String> conf = shortTimeout(kafka, topic);
        TestingSource<Integer> source = new TestingSource<>(items(N), 10);
        // The run stops at a snapshot without writing it: the last durable snapshot is the one
        // before, whose staged transaction this run committed already.
        Stopping store = new Stopping(3, false, () -> { });
        assertThrows(RuntimeException.class, () -> Runner.run(flow(source, conf), options(store)));
        assertTrue(store.stopped);
        Runner.run(flow(source, conf), options(store));
        kafka.awaitTransactionsSettled(topic, Duration.ofSeconds(10));
        List<String> got = new ArrayList<>(KafkaSinkEosTest.read(kafka, topic, true));
        Collections.sort(got);
        assertEquals(want(N), got);
    }
}
