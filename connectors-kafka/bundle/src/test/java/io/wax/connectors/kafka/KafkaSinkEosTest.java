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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exactly-once sink on a real broker: a run that fails (a crash, a fenced producer, a broker
 * down when a transaction commits, a transaction the broker timed out) and is resumed from its
 * recovery store leaves every message exactly once for a {@code read_committed} consumer, and no
 * transaction open behind it.
 */
@ExtendWith(LocalKafkaExtension.class)
class KafkaSinkEosTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    /** Items 0..n-1 in batches of 10, with pauses so that epochs and snapshots fall between them. */
    private static List<Object> items(int n, int abortAt) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i == abortAt) {
                out.add(TestingSource.ABORT);
            }
            if (i % 50 == 0) {
                out.add(TestingSource.pause(Duration.ofMillis(30)));
            }
            out.add(i);
        }
        return out;
    }

    private static KafkaSinkConfig.Builder<String, String> eos(LocalKafka kafka, String topic) {
        return KafkaSinkConfig.builder(List.of(kafka.bootstrap()), topic)
                .serdes(KafkaSerdes.string(), KafkaSerdes.string())
                .guarantee(KafkaSinkConfig.Guarantee.EXACTLY_ONCE)
                .transactionalIdPrefix("eos-test-" + PREFIXES.incrementAndGet())
                .timeout(Duration.ofSeconds(3));
    }

    private static Dataflow flow(TestingSource<Integer> source, KafkaSinkConfig<String, String> conf,
                                 Consumer<Integer> hook) {
        Dataflow flow = new Dataflow("eos");
        new KafkaSink<>(conf).write(flow.input("inp", source).map("msg", i -> {
            hook.accept(i);
            return KafkaSinkMessage.of("k" + i, "v" + i);
        }), "out");
        return flow;
    }

    private static RunOptions options(RecoveryStore store, int workers) {
        return RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(20))
                .withSnapshotInterval(Duration.ofMillis(100)).withRecovery(store);
    }

    /** Every value in the topic as a {@code read_committed} (or uncommitted) consumer sees it. */
    static List<String> read(LocalKafka kafka, String topic, boolean committed) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", kafka.bootstrap());
        conf.put("isolation.level", committed ? "read_committed" : "read_uncommitted");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(topic).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r.value());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 30 s");
                }
            }
        }
        return out;
    }

    /** Returns once a transaction is open on the topic, or after 20 s (the caller's assertion then fails). */
    private static void awaitOpenTransaction(LocalKafka kafka, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!kafka.transactionOpen(topic) && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // each check is a round trip to the broker
        }
    }

    /**
     * Every message once for a read_committed consumer, and no transaction open. The run's last
     * commit markers may still be on their way when it returns, so first wait for them (10 s: far
     * below the 15 minutes of transaction.timeout.ms of all but the timed-out test's sink, so a
     * transaction left open fails here rather than being aborted by the broker meanwhile).
     */
    private static void assertExactlyOnce(LocalKafka kafka, String topic, int n) {
        kafka.awaitTransactionsSettled(topic, Duration.ofSeconds(10));
        List<String> got = read(kafka, topic, true);
        List<String> sorted = new ArrayList<>(got);
        Collections.sort(sorted);
        List<String> want = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            want.add("v" + i);
        }
        Collections.sort(want);
        assertEquals(want.size(), sorted.size(), "read_committed sees " + got.size() + " messages, want " + n);
        assertEquals(want, sorted);
    }

    @Test
    void aCrashAndResumeWriteEveryMessageOnce(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-crash", 3);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).build();
        TestingSource<Integer> source = new TestingSource<>(items(2000, 1200), 10);
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        // The crash comes once the broker holds an open transaction of this run: on a fast machine the
        // last items could otherwise still sit in a producer's buffer, which a crash drops unsent.
        assertThrows(RuntimeException.class, () -> Runner.run(flow(source, conf, i -> {
            if (i == 1199) {
                awaitOpenTransaction(kafka, topic);
            }
        }), options(store, 2)));
        // The crashed run left transactions open (staged or being written): the resume must end them.
        assertTrue(kafka.transactionOpen(topic), "the crash left no transaction open, so this test proves little");
        Runner.run(flow(source, conf, i -> { }), options(store, 2));
        assertExactlyOnce(kafka, topic, 2000);
        assertTrue(read(kafka, topic, false).size() > 2000, "no output of the crashed run was aborted");
    }

    @Test
    void aRescaledResumeCommitsWhatTheOtherWorkerCountStaged(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-rescale", 4);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).build();
        TestingSource<Integer> source = new TestingSource<>(items(2000, 900), 10);
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        assertThrows(RuntimeException.class, () -> Runner.run(flow(source, conf, i -> { }), options(store, 3)));
        Runner.run(flow(source, conf, i -> { }), options(store, 1));
        assertExactlyOnce(kafka, topic, 2000);
    }

    @Test
    void withoutRecoveryItIsRefused(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-norec", 1);
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(
                flow(new TestingSource<>(List.of(1)), eos(kafka, topic).build(), i -> { }),
                RunOptions.defaults()));
        assertTrue(e.getMessage().contains("no recovery store") && e.getMessage().contains("-r DIR"), e.getMessage());
    }

    @Test
    void aTransactionTimeoutShorterThanSnapshotsAndRestartIsRefused(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-timeout-check", 1);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).config("transaction.timeout.ms", 30_000).build();
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(
                flow(new TestingSource<>(List.of(1)), conf, i -> { }), options(new InMemoryRecoveryStore(), 1)));
        assertTrue(e.getMessage().contains("transaction.timeout.ms is 30000 ms")
                && e.getMessage().contains("raise transaction.timeout.ms above 60100 ms"), e.getMessage());
    }

    @Test
    void twoSinksWithOnePrefixAreRefused(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-prefix", 1);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).build();
        Dataflow flow = new Dataflow("eos");
        var msgs = flow.input("inp", new TestingSource<Integer>(List.of(1))).map("msg", i -> KafkaSinkMessage.of("k", "v"));
        new KafkaSink<>(conf).write(msgs, "out1");
        new KafkaSink<>(conf).write(msgs, "out2");
        FlowFailedException e = assertThrows(FlowFailedException.class,
                () -> Runner.run(flow, options(new InMemoryRecoveryStore(), 1)));
        assertTrue(e.getMessage().contains("is used by steps"), e.getMessage());
    }

    @Test
    void aFencedProducerStopsTheFlowAndAResumeWritesEveryMessageOnce(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-fenced", 1);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).build();
        TestingSource<Integer> source = new TestingSource<>(items(1000, -1), 10);
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        AtomicBoolean fenced = new AtomicBoolean();
        Consumer<Integer> fence = i -> {
            if (i == 500 && fenced.compareAndSet(false, true)) {
                // Another producer with the sink's ids: the open transaction is aborted and its producer fenced.
                for (int slot = 0; slot < 4; slot++) {
                    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                            kafka.bootstrap(), "transactional.id", conf.transactionalIdPrefix() + "-0-" + slot),
                            new StringSerializer(), new StringSerializer())) {
                        p.initTransactions();
                    }
                }
            }
        };
        FlowFailedException e = assertThrows(FlowFailedException.class,
                () -> Runner.run(flow(source, conf, fence), options(store, 1)));
        assertTrue(e.getMessage().contains("another producer took over"), e.getMessage());
        Runner.run(flow(source, conf, i -> { }), options(store, 1));
        assertExactlyOnce(kafka, topic, 1000);
    }

    /** A recovery store that runs {@code hook} after its {@code n}-th commit that carries snapshots. */
    private static final class Hooked implements RecoveryStore {
        final InMemoryRecoveryStore inner = new InMemoryRecoveryStore();
        final int n;
        final Runnable hook;
        int commits;
        volatile boolean armed = true;

        Hooked(int n, Runnable hook) {
            this.n = n;
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
            inner.commit(worker, frontier, snapshots);
            boolean sink = snapshots.stream().anyMatch(s -> s.stepId().endsWith(".out") && s.state() != null);
            if (armed && sink && ++commits == n) {
                armed = false;
                hook.run(); // on the worker thread, right before it hears that this commit is durable
            }
        }
    }

    @Test
    void aBrokerDownAtCommitStopsTheFlowAndAResumeCommitsTheStagedTransaction(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "eos-down", 2);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).config("delivery.timeout.ms", 3000)
                .config("request.timeout.ms", 1000).build();
        TestingSource<Integer> source = new TestingSource<>(items(1000, -1), 10);
        Hooked store = new Hooked(3, kafka::stop);
        FlowFailedException e;
        try {
            e = assertThrows(FlowFailedException.class, () -> Runner.run(flow(source, conf, i -> { }), options(store, 1)));
        } finally {
            kafka.restart();
        }
        assertTrue(e.getMessage().contains("committing transaction") && e.getMessage().contains("a resumed run commits"),
                e.getMessage());
        Runner.run(flow(source, conf, i -> { }), options(store, 1));
        assertExactlyOnce(kafka, topic, 1000);
    }

    @Test
    void aTransactionTheBrokerTimedOutStopsTheFlowAndAResumeWritesEveryMessageOnce(LocalKafka kafka) {
        String topic = Kafkas.topic(kafka, "eos-timedout", 1);
        KafkaSinkConfig<String, String> conf = eos(kafka, topic).config("transaction.timeout.ms", 4000)
                .restartAllowance(Duration.ofMillis(500)).build();
        TestingSource<Integer> source = new TestingSource<>(items(1000, -1), 10);
        InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        // The map stalls, from item 500 on, at the first batch that finds the sink's transaction open
        // on the broker, until the broker has aborted it: the one worker is in the map, so nothing
        // else can end it. That transaction must be the open one, not one staged at a snapshot (its
        // snapshot would become durable after the stall and the resume would take the aborted
        // transaction for committed: the output loss transaction.timeout.ms is checked against), so
        // the first snapshot comes 3 s into the run, long after item 500. (This test used to sleep a
        // fixed 4 s at item 500 with snapshots every 900 ms: whether the transaction the broker then
        // timed out was open, staged or already committed depended on where a snapshot fell.)
        AtomicBoolean stalled = new AtomicBoolean();
        Consumer<Integer> stall = i -> {
            if (i >= 500 && i % 10 == 0 && !stalled.get() && kafka.transactionOpen(topic)) {
                stalled.set(true);
                kafka.awaitTransactionsSettled(topic, Duration.ofSeconds(30));
            }
        };
        RunOptions slow = RunOptions.defaults().withEpochInterval(Duration.ofMillis(20))
                .withSnapshotInterval(Duration.ofMillis(3000)).withRecovery(store);
        FlowFailedException e = assertThrows(FlowFailedException.class,
                () -> Runner.run(flow(source, conf, stall), slow));
        assertTrue(stalled.get(), "the map never found a transaction open, so nothing timed out: " + e.getMessage());
        assertTrue(e.getMessage().contains("transaction.timeout.ms"), e.getMessage());
        Runner.run(flow(source, conf, i -> { }), slow);
        assertExactlyOnce(kafka, topic, 1000);
    }
}
