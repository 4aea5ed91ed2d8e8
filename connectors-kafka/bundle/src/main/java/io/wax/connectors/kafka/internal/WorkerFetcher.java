package io.wax.connectors.kafka.internal;

import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaError;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaItem;
import io.wax.connectors.kafka.KafkaMessage;
import io.wax.connectors.kafka.KafkaSourceConfig;
import io.wax.connectors.kafka.StartOffset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One consumer for all the partitions one worker reads of one source step (as a hand-written loop
 * uses one consumer per thread), polled on that worker's own thread: when a partition asks for a
 * batch and nothing is queued for any of them, {@link Part#take()} polls, waiting at most
 * {@link #POLL_WAIT} (Bytewax waits as long), and queues the records per partition as chunks of
 * at most {@code batchSize}, which become {@link KafkaItem}s when taken ({@link Part#items}). The
 * source's deserialisers run inside the consumer; a record they refuse stops the poll there (the
 * consumer raises {@link RecordDeserializationException} and stays at that record), and becomes
 * an error item or the flow's failure.
 *
 * <p>Why no fetch thread: W4 showed that handing records from a polling thread to the worker cost
 * more than it saved. The records were parsed on one core and read on another, and the two
 * threads together used about 40% more CPU than a bare consumer loop; on two cores shared with the
 * broker, total CPU sets the pace (figures in the connector's README). The consumer still fetches
 * ahead: it sends the next fetch before it hands out the last one's records.
 *
 * <p>While nothing arrives, after {@link #WAITING_POLLS} empty polls, polls back off from 2 ms to
 * the source's {@code maxIdleWait}, through the partitions' {@code nextAwake}, so an idle source
 * leaves the worker free for other steps. The back-off is the consumer's, not each partition's:
 * however many partitions share it, one poll is due per back-off period.
 */
final class WorkerFetcher<K, V> {
    /** The longest a poll may hold the worker when nothing is queued. */
    static final Duration POLL_WAIT = Duration.ofMillis(1);
    private static final long ERROR_PAUSE_NANOS = 1_000_000_000L;
    /**
     * Empty polls in a row, each waiting up to POLL_WAIT, before the back-off begins. A bounded
     * read at full speed often waits a few milliseconds for the next fetch (the broker shares the
     * cores); parking the worker in those gaps instead of waiting in the poll cost W4 a tenth.
     */
    static final int WAITING_POLLS = 10;

    /**
     * A batch for the worker: the records, the next offset after them, whether it is the last of
     * a bounded read, or instead an error item to pass on.
     */
    record Chunk<K, V>(List<ConsumerRecord<K, V>> records, long nextOffset, boolean last, KafkaError error) {
        Chunk(List<ConsumerRecord<K, V>> records, long nextOffset, boolean last) {
            this(records, nextOffset, last, null);
        }
    }

    /**
     * One partition, and the chunk waiting for it: at most one, since the consumer is polled only
     * when no chunk waits for any partition, and a poll gives each partition at most one.
     */
    final class Part {
        final String name;
        final TopicPartition tp;
        final long start;
        final long end;
        final LagCell lag;
        private Chunk<K, V> pending;
        private long position;

        Part(String name, TopicPartition tp, long start, long end, LagCell lag) {
            this.name = name;
            this.tp = tp;
            this.start = start;
            this.end = end;
            this.lag = lag;
            this.position = start;
        }

        /** Whether a bounded read of this partition has nothing to read at all. */
        boolean emptyAtStart() {
            return end >= 0 && start >= end;
        }

        /**
         * The next chunk, or {@code null} if none is ready. Polls the consumer first when no chunk
         * waits for any partition and a poll is due, and then waits at most {@link #POLL_WAIT}.
         */
        Chunk<K, V> take() {
            if (!started) {
                started = true;
                detach.run();
            }
            if (queued == 0 && System.nanoTime() - nextPollAt >= 0) {
                fetch(this);
            }
            Chunk<K, V> c = pending;
            if (c != null) {
                pending = null;
                queued--;
            }
            return c;
        }

        /**
         * After {@link #take()} returned nothing, in how many milliseconds to ask again: at once
         * while another partition has a chunk waiting, else when the consumer's next poll is due.
         */
        long idleMillis() {
            if (queued > 0) {
                return 0;
            }
            long wait = nextPollAt - System.nanoTime();
            return wait <= 0 ? 0 : (wait + 999_999) / 1_000_000;
        }

        void close() {
            if (active.remove(this)) {
                reassign();
            }
            if (pending != null) {
                pending = null;
                queued--;
            }
            if (--open == 0) {
                WorkerFetcher.this.close();
            }
        }

        private void add(Chunk<K, V> c) {
            pending = c;
            queued++;
        }

        /** A chunk's records as messages, or its error item. */
        List<KafkaItem> items(Chunk<K, V> c) {
            if (c.error() != null) {
                return List.of(c.error());
            }
            List<ConsumerRecord<K, V>> rs = c.records();
            int n = rs.size();
            KafkaItem[] items = new KafkaItem[n];
            for (int i = 0; i < n; i++) {
                ConsumerRecord<K, V> r = rs.get(i);
                items[i] = new KafkaMessage<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                        headers(r.headers()));
            }
            return Arrays.asList(items);
        }
    }

    private final KafkaSourceConfig<K, V> config;
    private final WorkerContext ctx;
    private final KafkaConsumer<K, V> consumer;
    /** Takes this fetcher out of its source's fetchers, so that no partition joins it any more. */
    private final Runnable detach;
    private final List<Part> active = new ArrayList<>();
    private boolean started;
    private boolean closed;
    private int open;
    /** Chunks waiting over all partitions. */
    private int queued;
    /** Polls in a row that found nothing, for the idle back-off. */
    private int emptyPolls;
    /** {@link System#nanoTime()} from which the next poll is due: the idle back-off, or an error's pause. */
    private long nextPollAt = System.nanoTime();

    /** Creates the consumer (on the worker thread, with the bundle's context loader). */
    WorkerFetcher(KafkaSourceConfig<K, V> config, WorkerContext ctx, Runnable detach) {
        this.config = config;
        this.ctx = ctx;
        this.detach = detach;
        Map<String, Object> conf = consumerConfig(config, ctx);
        // The source's deserialisers run in the consumer, as each record is parsed and its bytes
        // were just read: deserialising views of the bytes in a second pass over the records
        // cost W4 a tenth of its speed at 1 worker. All workers' consumers share them.
        Deserializer<K> keys = new Shared<>(config.keySerde().deserializer());
        Deserializer<V> values = new Shared<>(config.valueSerde().deserializer());
        this.consumer = Tccl.withBundleLoader(() -> new KafkaConsumer<>(conf, keys, values));
    }

    private static Map<String, Object> consumerConfig(KafkaSourceConfig<?, ?> config, WorkerContext ctx) {
        Map<String, Object> conf = new HashMap<>();
        conf.put("auto.offset.reset", "earliest");
        conf.put("default.api.timeout.ms", ClientConfigs.millis(config.timeout()));
        conf.put("client.id", "wax-" + ctx.stepId() + "-w" + ctx.workerIndex() + "-" + System.identityHashCode(ctx));
        conf.putAll(config.clientConfig());
        conf.put("bootstrap.servers", String.join(",", config.brokers()));
        conf.remove("group.id");
        conf.put("enable.auto.commit", false);
        // One poll returns at most one batch, so no chunk exceeds batchSize.
        conf.put("max.poll.records", config.batchSize());
        return conf;
    }

    /**
     * Adds a partition: finds where it starts (its resume offset, or the configured start) and,
     * for a bounded read, where it ends. Runs on the worker thread before the first poll.
     */
    Part add(String name, TopicPartition tp, Long resume, LagCell lag) {
        if (started) {
            throw new IllegalStateException("partitions are added before reading starts");
        }
        Duration timeout = config.timeout();
        List<TopicPartition> assigned = new ArrayList<>();
        for (Part p : active) {
            assigned.add(p.tp);
        }
        assigned.add(tp);
        try {
            consumer.assign(assigned);
            if (resume != null) {
                consumer.seek(tp, resume);
            } else if (config.startOffset() instanceof StartOffset.Timestamp ts) {
                OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(tp, ts.instant().toEpochMilli()), timeout)
                        .get(tp);
                if (at == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            } else if (config.startOffset() instanceof StartOffset.End) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
            long start = consumer.position(tp, timeout);
            long end = config.tail() ? -1 : consumer.endOffsets(List.of(tp), timeout).get(tp);
            Part p = new Part(name, tp, start, end, lag);
            lag.update(start, end);
            open++;
            if (p.emptyAtStart()) {
                assigned.remove(tp);
                consumer.assign(assigned);
            } else {
                active.add(p);
            }
            return p;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            assigned.remove(tp);
            consumer.assign(assigned);
            throw new KafkaConnectorException("Kafka source: no answer from brokers " + config.brokers() + " within "
                    + ClientConfigs.describe(timeout) + " while opening partition " + name, e);
        } catch (RuntimeException e) {
            assigned.remove(tp);
            consumer.assign(assigned);
            throw new KafkaConnectorException("Kafka source: opening partition " + name + " on brokers "
                    + config.brokers() + " failed: " + e, e);
        }
    }

    /** Closes the consumer of a fetcher whose first partition failed to open. */
    void abandonIfUnused() {
        if (open == 0) {
            close();
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            detach.run();
            consumer.close(Duration.ZERO);
        }
    }

    /**
     * Polls once and queues what came, per partition. Wakes the worker when a partition other
     * than the caller got a chunk: that one may be backing off, and its chunk must not wait.
     */
    private void fetch(Part caller) {
        if (closed || active.isEmpty()) {
            return;
        }
        ConsumerRecords<K, V> records;
        try {
            // Codecs and other kafka-clients classes may be loaded lazily while polling.
            records = Tccl.withBundleLoader(() -> consumer.poll(POLL_WAIT));
        } catch (RecordDeserializationException e) {
            undeserialisable(e);
            return;
        } catch (KafkaException e) {
            fail(e);
            return;
        }
        boolean bounded = !config.tail();
        boolean forOthers = false;
        List<Part> finished = null;
        for (Part p : active) {
            long next;
            try {
                // Unknown after an offset reset until the broker answers: a zero timeout keeps the
                // worker from waiting for that. The next poll looks again, and reports an error
                // that lasts.
                next = consumer.position(p.tp, Duration.ZERO);
            } catch (KafkaException e) {
                continue;
            }
            OptionalLong lag = consumer.currentLag(p.tp);
            if (lag.isPresent()) {
                p.lag.endOffset(next + lag.getAsLong());
            }
            List<ConsumerRecord<K, V>> rs = records.records(p.tp);
            boolean last = bounded && next >= p.end;
            if (last) {
                // Messages that arrived after the partition was opened are not part of a bounded read.
                next = p.end;
            }
            if (rs.isEmpty() && next == p.position && !last) {
                continue;
            }
            if (bounded && !rs.isEmpty() && rs.get(rs.size() - 1).offset() >= p.end) {
                int keep = 0;
                while (keep < rs.size() && rs.get(keep).offset() < p.end) {
                    keep++;
                }
                rs = rs.subList(0, keep);
            }
            p.position = next;
            p.add(new Chunk<>(rs, next, last));
            forOthers |= p != caller;
            if (last) {
                if (finished == null) {
                    finished = new ArrayList<>();
                }
                finished.add(p);
            }
        }
        if (finished != null) {
            active.removeAll(finished);
            reassign();
        }
        long now = System.nanoTime();
        if (queued > 0) {
            emptyPolls = 0;
            nextPollAt = now;
        } else if (++emptyPolls > WAITING_POLLS) {
            long backoffMs = Math.min(config.maxIdleWait().toMillis(), 1L << Math.min(emptyPolls - WAITING_POLLS, 20));
            nextPollAt = now + backoffMs * 1_000_000L;
        }
        if (forOthers) {
            ctx.wake();
        }
    }

    private void reassign() {
        List<TopicPartition> tps = new ArrayList<>();
        for (Part p : active) {
            tps.add(p.tp);
        }
        consumer.assign(tps);
    }

    /**
     * A consumer error: raised at once when the source raises on errors (this runs on the worker,
     * so the flow stops with it), else emitted once as an error item, then a pause before the next
     * poll.
     */
    private void fail(KafkaException e) {
        String msg = "Kafka source: reading " + names() + " from brokers " + config.brokers() + " failed: " + e;
        if (config.raiseOnErrors()) {
            throw new KafkaConnectorException(msg, e);
        }
        Part p = active.get(0);
        p.add(new Chunk<>(List.of(), p.position, false,
                new KafkaError(p.tp.topic(), p.tp.partition(), -1, msg, null, null, null)));
        nextPollAt = System.nanoTime() + ERROR_PAUSE_NANOS;
        ctx.wake();
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (Part p : active) {
            names.add(p.name);
        }
        return names.size() == 1 ? names.get(0) : names.toString();
    }

    /**
     * A record the source's deserialisers refused. The consumer returned the records before it,
     * and stays at it: raise, or pass it on as an error item and go on after it.
     */
    private void undeserialisable(RecordDeserializationException e) {
        Part p = active.stream().filter(q -> q.tp.equals(e.topicPartition())).findFirst().orElseThrow();
        boolean key = e.origin() == RecordDeserializationException.DeserializationExceptionOrigin.KEY;
        String which = key ? "key" : "value";
        String msg = "could not deserialise the " + which + " of " + p.name + " at offset " + e.offset() + ": "
                + (e.getCause() != null ? e.getCause() : e);
        if (config.raiseOnErrors()) {
            throw new KafkaConnectorException("Kafka source: " + msg, e);
        }
        // Past it; if it was a bounded read's last record, the next poll finds the end.
        long next = e.offset() + 1;
        consumer.seek(p.tp, next);
        p.position = next;
        p.add(new Chunk<>(List.of(), next, false, new KafkaError(p.tp.topic(), p.tp.partition(), e.offset(), msg,
                bytes(e.keyBuffer()), bytes(e.valueBuffer()), headers(e.headers()))));
        nextPollAt = System.nanoTime();
        ctx.wake();
    }

    /**
     * A deserialiser shared by every worker's consumer. A consumer closes its deserialisers when
     * it closes, and must not close this one under the others.
     */
    private record Shared<T>(Deserializer<T> inner) implements Deserializer<T> {
        @Override
        public T deserialize(String topic, byte[] data) {
            return inner.deserialize(topic, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            return inner.deserialize(topic, headers, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
            return inner.deserialize(topic, headers, data);
        }

        @Override
        public void close() {
        }
    }

    /** The whole of a key or value (rewound: a deserialiser may have moved it before failing). */
    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.limit()];
        b.duplicate().rewind().get(out);
        return out;
    }

    private static List<KafkaHeader> headers(Headers hs) {
        Header[] arr = hs.toArray();
        if (arr.length == 0) {
            return List.of();
        }
        List<KafkaHeader> out = new ArrayList<>(arr.length);
        for (Header h : arr) {
            out.add(new KafkaHeader(h.key(), h.value()));
        }
        return out;
    }
}
