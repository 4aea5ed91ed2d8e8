package io.wax.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.spi.engine.FlowFailedException;
import io.wax.kafka.broker.LocalKafka;
import io.wax.kafka.broker.LocalKafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalKafkaExtension.class)
class KafkaSourceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void listsOnePartitionPerTopicPartition(LocalKafka kafka) {
        String a = Kafkas.topic(kafka, "list-a", 3);
        String b = Kafkas.topic(kafka, "list-b", 1);
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, a, b).build());
        assertEquals(List.of(a + "-0", a + "-1", a + "-2", b + "-0"), source.listParts());
    }

    @Test
    void boundedReadReturnsEveryRecordExactlyOnce(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "bounded", 5);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(new ProducerRecord<>(topic, "k" + (i % 37), "v" + i));
        }
        Kafkas.send(kafka, records);
        for (int workers : new int[] {1, 3}) {
            TestingSink<String> out = new TestingSink<>();
            Dataflow flow = new Dataflow("bounded");
            new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).batchSize(64).build()).read(flow, "inp").oks()
                    .map("value", KafkaMessage::value).output("out", out);
            Kafkas.run(flow, workers);
            List<String> got = out.items();
            assertEquals(2000, got.size(), "items read with " + workers + " workers");
            assertEquals(2000, new HashSet<>(got).size(), "no duplicates with " + workers + " workers");
        }
    }

    @Test
    void boundedReadEndsWhenSomePartitionsAreEmpty(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "sparse", 4);
        Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, 0, null, "a"), new ProducerRecord<>(topic, 2, null, "b"),
                new ProducerRecord<>(topic, 2, null, "c")));
        for (int workers : new int[] {1, 2}) {
            TestingSink<String> out = new TestingSink<>();
            Dataflow flow = new Dataflow("sparse");
            new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).build()).read(flow, "inp").oks()
                    .map("value", KafkaMessage::value).output("out", out);
            Kafkas.run(flow, workers);
            List<String> got = new ArrayList<>(out.items());
            got.sort(null);
            assertEquals(List.of("a", "b", "c"), got, workers + " workers");
        }
    }

    @Test
    void respectsBatchSizeAndEndsAtTheEndOffsetSeenAtStart(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "batch", 1);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(new ProducerRecord<>(topic, 0, null, "v" + i));
        }
        Kafkas.send(kafka, records);
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).batchSize(7)
                .build());
        try (SourcePartition<KafkaItem, Long> p = source.buildPart(Kafkas.ctx(), topic + "-0", null)) {
            Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, 0, null, "late")));
            List<Long> offsets = new ArrayList<>();
            int largest = 0;
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            for (List<KafkaItem> batch = p.nextBatch(); batch != null; batch = p.nextBatch()) {
                assertTrue(batch.size() <= 7, "batch of " + batch.size());
                largest = Math.max(largest, batch.size());
                batch.forEach(x -> offsets.add(x.offset()));
                assertTrue(System.nanoTime() < deadline, "partition did not end");
            }
            assertEquals(7, largest);
            assertEquals(100, offsets.size(), "the message sent after opening is not read");
            for (int i = 0; i < 100; i++) {
                assertEquals(i, offsets.get(i));
            }
            assertEquals(100L, p.snapshot());
        }
    }

    @Test
    void resumesAtTheSnapshotOffset(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "resume", 1);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(new ProducerRecord<>(topic, 0, null, "v" + i));
        }
        Kafkas.send(kafka, records);
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).build());
        List<KafkaItem> got = drain(source.buildPart(Kafkas.ctx(), topic + "-0", 15L));
        assertEquals(List.of(15L, 16L, 17L, 18L, 19L), got.stream().map(KafkaItem::offset).toList());
    }

    @Test
    void startsAtBeginningEndOrTimestamp(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "start", 1);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new ProducerRecord<>(topic, 0, 1_000L * (i + 1), null, "v" + i));
        }
        Kafkas.send(kafka, records);

        KafkaSource<String, String> fromStart = new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).build());
        assertEquals(10, drain(fromStart.buildPart(Kafkas.ctx(), topic + "-0", null)).size());

        KafkaSource<String, String> fromTime = new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false)
                .startOffset(StartOffset.timestamp(Instant.ofEpochMilli(6_500))).build());
        List<KafkaItem> late = drain(fromTime.buildPart(Kafkas.ctx(), topic + "-0", null));
        assertEquals(List.of(6L, 7L, 8L, 9L), late.stream().map(KafkaItem::offset).toList());
        assertEquals(7_000L, ((KafkaMessage<?, ?>) late.get(0)).timestamp());

        KafkaSource<String, String> afterAll = new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false)
                .startOffset(StartOffset.timestamp(Instant.ofEpochMilli(60_000))).build());
        assertEquals(List.of(), drain(afterAll.buildPart(Kafkas.ctx(), topic + "-0", null)));

        KafkaSource<String, String> fromEnd = new KafkaSource<>(Kafkas.strings(kafka, topic)
                .startOffset(StartOffset.end()).build());
        try (SourcePartition<KafkaItem, Long> p = fromEnd.buildPart(Kafkas.ctx(), topic + "-0", null)) {
            assertEquals(10L, p.snapshot());
            Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, 0, null, "new")));
            List<KafkaItem> got = pollUntil(p, 1);
            assertEquals(10L, got.get(0).offset());
            assertEquals("new", ((KafkaMessage<?, ?>) got.get(0)).value());
        }
    }

    @Test
    void carriesKeysHeadersAndTimestamps(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "headers", 2);
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, 1, 123_456L, "the-key", "the-value",
                List.of(new RecordHeader("trace", "abc".getBytes()), new RecordHeader("empty", null)));
        Kafkas.send(kafka, List.of(r));
        TestingSink<KafkaMessage<String, String>> out = new TestingSink<>();
        Dataflow flow = new Dataflow("headers");
        new KafkaSource<>(Kafkas.strings(kafka, topic).tail(false).build()).read(flow, "inp").oks().output("out", out);
        Kafkas.run(flow, 2);
        assertEquals(1, out.items().size());
        KafkaMessage<String, String> m = out.items().get(0);
        assertEquals(topic, m.topic());
        assertEquals(1, m.partition());
        assertEquals(0L, m.offset());
        assertEquals(123_456L, m.timestamp());
        assertEquals("the-key", m.key());
        assertEquals("the-value", m.value());
        assertEquals(List.of(KafkaHeader.of("trace", "abc"), new KafkaHeader("empty", null)), m.headers());
        assertEquals("abc", m.header("trace").valueAsString());
    }

    @Test
    void badRecordsGoToTheErrorStream(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "errors", 1);
        Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, "a", "{\"n\": 1}"), new ProducerRecord<>(topic, "b",
                "{not json"), new ProducerRecord<>(topic, "c", "[2, 3]")));
        TestingSink<Object> oks = new TestingSink<>();
        TestingSink<KafkaError> errs = new TestingSink<>();
        Dataflow flow = new Dataflow("errors");
        KafkaInput<String, Object> in = new KafkaSource<>(KafkaSourceConfig
                .builder(List.of(kafka.bootstrap()), List.of(topic)).serdes(KafkaSerdes.string(), KafkaSerdes.json())
                .tail(false).raiseOnErrors(false).build()).read(flow, "inp");
        in.oks().map("value", KafkaMessage::value).output("oks", oks);
        in.errs().output("errs", errs);
        Kafkas.run(flow, 1);
        assertEquals(List.of(Map.of("n", 1L), List.of(2L, 3L)), oks.items());
        assertEquals(1, errs.items().size());
        KafkaError e = errs.items().get(0);
        assertEquals(1L, e.offset());
        assertEquals("{not json", new String(e.value()));
        assertEquals("b", new String(e.key()));
        assertTrue(e.error().contains("could not deserialise the value of " + topic + "-0 at offset 1"), e.error());
    }

    /** A bounded read whose last record cannot be deserialised still ends, after its error item. */
    @Test
    void aBadLastRecordStillEndsABoundedRead(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "bad-last", 1);
        Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, "a", "[1]"), new ProducerRecord<>(topic, "b", "{bad")));
        KafkaSource<String, Object> source = new KafkaSource<>(KafkaSourceConfig
                .builder(List.of(kafka.bootstrap()), List.of(topic)).serdes(KafkaSerdes.string(), KafkaSerdes.json())
                .tail(false).raiseOnErrors(false).build());
        List<KafkaItem> items = drain(source.buildPart(Kafkas.ctx(), topic + "-0", null));
        assertEquals(2, items.size(), items.toString());
        assertEquals(List.of(1L), ((KafkaMessage<?, ?>) items.get(0)).value());
        KafkaError e = (KafkaError) items.get(1);
        assertEquals(1L, e.offset());
        assertEquals("{bad", new String(e.value()));
    }

    /** A key that cannot be deserialised is named as such, and its raw bytes are kept. */
    @Test
    void badKeysGoToTheErrorStreamToo(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "bad-key", 1);
        Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, "{not json", "v")));
        KafkaSource<Object, String> source = new KafkaSource<>(KafkaSourceConfig
                .builder(List.of(kafka.bootstrap()), List.of(topic)).serdes(KafkaSerdes.json(), KafkaSerdes.string())
                .tail(false).raiseOnErrors(false).build());
        List<KafkaItem> items = drain(source.buildPart(Kafkas.ctx(), topic + "-0", null));
        assertEquals(1, items.size(), items.toString());
        KafkaError e = (KafkaError) items.get(0);
        assertTrue(e.error().contains("could not deserialise the key of " + topic + "-0 at offset 0"), e.error());
        assertEquals("{not json", new String(e.key()));
        assertEquals("v", new String(e.value()));
    }

    @Test
    void badRecordsStopTheFlowWhenRaising(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "raise", 1);
        Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, "b", "{not json")));
        Dataflow flow = new Dataflow("raise");
        new KafkaSource<>(KafkaSourceConfig.builder(List.of(kafka.bootstrap()), List.of(topic))
                .serdes(KafkaSerdes.string(), KafkaSerdes.json()).tail(false).build()).read(flow, "inp").oks()
                .output("out", new TestingSink<>());
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Kafkas.run(flow, 1));
        assertTrue(e.getMessage().contains("could not deserialise the value of " + topic + "-0 at offset 1")
                || e.getMessage().contains("could not deserialise the value of " + topic + "-0 at offset 0"),
                e.getMessage());
        assertEquals("raise.inp", e.stepId());
    }

    @Test
    void unreachableBrokerFailsWithinTheTimeout() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Dataflow flow = new Dataflow("unreachable");
        new KafkaSource<>(KafkaSourceConfig.builder(List.of("127.0.0.1:" + port), List.of("nothing"))
                .timeout(Duration.ofSeconds(2)).build()).read(flow, "inp").oks().output("out", new TestingSink<>());
        long start = System.nanoTime();
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Kafkas.run(flow, 2));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 6_000, "failed after " + ms + " ms");
        assertTrue(ms >= 1_500, "failed after only " + ms + " ms: not a timeout?");
        String msg = e.getMessage();
        assertTrue(msg.contains("no answer from brokers [127.0.0.1:" + port + "] within 2 s"), msg);
        assertEquals("unreachable.inp", e.stepId());
    }

    @Test
    void missingTopicFailsClearly(LocalKafka kafka) {
        Dataflow flow = new Dataflow("missing");
        new KafkaSource<>(Kafkas.strings(kafka, "no-such-topic").tail(false).build()).read(flow, "inp").oks()
                .output("out", new TestingSink<>());
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Kafkas.run(flow, 1));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals("missing.inp", e.stepId());
    }

    @Test
    void reportsConsumerLagPerPartition(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "lag", 1);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(new ProducerRecord<>(topic, 0, null, "v" + i));
        }
        Kafkas.send(kafka, records);
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, topic).batchSize(10).build());
        assertEquals(List.of(), source.lag());
        try (SourcePartition<KafkaItem, Long> p = source.buildPart(Kafkas.ctx(), topic + "-0", null)) {
            pollUntil(p, 10);
            PartitionLag lag = source.lag().get(0);
            assertEquals(topic + "-0", lag.partition());
            assertEquals("test.inp", lag.stepId());
            assertEquals(10L, lag.position());
            assertEquals(100L, lag.endOffset());
            assertEquals(90L, lag.lag());
            // What the engine reads for /metrics (wax_source_lag_records).
            assertEquals(90L, ((io.wax.api.io.ReportsLag) p).lag());
        }
        assertEquals(List.of(), source.lag(), "closed partitions leave the gauge");
    }

    /**
     * An idle tailing partition backs off: its polls space out until it asks to be polled again
     * maxIdleWait after the last one, never later; and it still gets what is produced meanwhile.
     */
    @Test
    void idlePartitionBacksOffAndStillSeesNewRecords(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "idle", 1);
        Duration maxIdleWait = Duration.ofMillis(50);
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, topic)
                .maxIdleWait(maxIdleWait).build());
        try (SourcePartition<KafkaItem, Long> p = source.buildPart(Kafkas.ctx(), topic + "-0", null)) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            boolean backedOff = false;
            while (!backedOff) {
                // Asking before the next poll is due returns nothing at once, as an early engine would get.
                Instant before = Instant.now();
                assertEquals(List.of(), p.nextBatch());
                Instant awake = p.nextAwake();
                assertNotNull(awake, "an idle partition asks to be polled later");
                assertFalse(awake.isAfter(Instant.now().plus(maxIdleWait)), "backs off beyond maxIdleWait: " + awake);
                backedOff = !awake.isBefore(before.plus(maxIdleWait));
                assertTrue(System.nanoTime() < deadline, "never backed off to maxIdleWait");
                Thread.onSpinWait();
            }
            Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, 0, null, "late")));
            List<KafkaItem> got = pollUntil(p, 1);
            assertEquals("late", ((KafkaMessage<?, ?>) got.get(0)).value());
            assertNull(p.nextAwake(), "a partition with data is polled again at once");
        }
    }

    /**
     * Two partitions share their worker's consumer. When a poll made for one brings a chunk for
     * the other, the worker is woken, so that chunk is taken at once even if its partition was
     * backing off (else the first partition would be due at once, and spin, until then).
     */
    @Test
    void aChunkForAnotherPartitionWakesTheWorker(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "wake", 2);
        AtomicInteger wakes = new AtomicInteger();
        WorkerContext ctx = new WorkerContext("test.inp", 0, 1, System.out, System.in, wakes::incrementAndGet);
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, topic)
                .maxIdleWait(Duration.ofMillis(50)).build());
        try (SourcePartition<KafkaItem, Long> a = source.buildPart(ctx, topic + "-0", null);
             SourcePartition<KafkaItem, Long> b = source.buildPart(ctx, topic + "-1", null)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(List.of(), a.nextBatch());
                assertEquals(List.of(), b.nextBatch());
            }
            assertEquals(0, wakes.get());
            Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, 1, null, "for-b")));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (wakes.get() == 0) {
                assertEquals(List.of(), a.nextBatch());
                assertTrue(System.nanoTime() < deadline, "polls for partition 0 never woke partition 1's reader");
                Thread.onSpinWait();
            }
            List<KafkaItem> got = b.nextBatch();
            assertEquals(1, got.size());
            assertEquals("for-b", ((KafkaMessage<?, ?>) got.get(0)).value());
        }
    }

    /**
     * A consumer error when the source does not raise: one error item, then a pause of a second
     * before the next poll, during which the partition asks to be polled no sooner.
     */
    @Test
    void consumerErrorsBecomeErrorItemsThenPause(LocalKafka kafka) throws Exception {
        String topic = Kafkas.topic(kafka, "reset", 1);
        Kafkas.send(kafka, List.of(new ProducerRecord<>(topic, 0, null, "only")));
        // Resuming past the end with no reset policy makes the consumer's poll throw.
        KafkaSource<String, String> source = new KafkaSource<>(Kafkas.strings(kafka, topic)
                .config("auto.offset.reset", "none").raiseOnErrors(false).build());
        try (SourcePartition<KafkaItem, Long> p = source.buildPart(Kafkas.ctx(), topic + "-0", 1000L)) {
            Instant beforeError = Instant.now();
            List<KafkaItem> got = pollUntil(p, 1);
            KafkaError e = (KafkaError) got.get(0);
            assertTrue(e.error().contains("reading " + topic + "-0 from brokers"), e.error());
            assertEquals(List.of(), p.nextBatch());
            Instant awake = p.nextAwake();
            assertNotNull(awake);
            assertFalse(awake.isBefore(beforeError.plusSeconds(1)), "polls again during the pause: " + awake);
        }
    }

    /** Reads a bounded partition to its end, failing after the deadline. */
    private static List<KafkaItem> drain(SourcePartition<KafkaItem, Long> p) throws Exception {
        try (p) {
            List<KafkaItem> out = new ArrayList<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            for (List<KafkaItem> batch = p.nextBatch(); batch != null; batch = p.nextBatch()) {
                out.addAll(batch);
                assertTrue(System.nanoTime() < deadline, "partition did not end");
            }
            assertNull(p.nextBatch());
            return out;
        }
    }

    /** Polls until at least {@code n} items came, failing after the deadline. */
    private static List<KafkaItem> pollUntil(SourcePartition<KafkaItem, Long> p, int n) throws Exception {
        List<KafkaItem> out = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (out.size() < n) {
            List<KafkaItem> batch = p.nextBatch();
            assertNotNull(batch);
            out.addAll(batch);
            assertTrue(System.nanoTime() < deadline, "only " + out.size() + " of " + n + " items came");
            Thread.onSpinWait();
        }
        assertFalse(out.isEmpty());
        return out;
    }
}
