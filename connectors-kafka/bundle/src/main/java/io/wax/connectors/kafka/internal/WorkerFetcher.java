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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One consumer, and the thread that polls it, for all the partitions one worker reads of one
 * source step (as a hand-written loop would use one consumer per thread). Partitions are added on
 * the worker thread while the engine opens them, before the thread starts: finding start and end
 * offsets happens there, synchronously and within the source's timeout. The first
 * {@link Part#take()} starts the thread, which from then on owns the consumer: it polls (blocking,
 * off the worker thread) and queues the records per partition as chunks of at most
 * {@code batchSize}, and wakes the worker; while any partition's queue holds {@link #MAX_CHUNKS},
 * it stops polling. The worker turns a chunk's records into {@link KafkaItem}s
 * ({@link Part#items}): that work, deserialisation included, is then spread over the workers
 * instead of piling up on the fetch thread, which with it did a third more work than a bare
 * consumer loop and was W4's bottleneck. Closing the last partition stops the thread through
 * {@link KafkaConsumer#wakeup()}, the one thread-safe consumer method.
 */
final class WorkerFetcher<K, V> implements Runnable {
    /** Chunks queued ahead of the worker per partition: bounds memory and paces the consumer. */
    static final int MAX_CHUNKS = 8;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long ERROR_BACKOFF_MS = 1000;

    /**
     * A batch for the worker: the records, the next offset after them, whether it is the last of
     * a bounded read, and a failure the worker must raise (set only when the source raises on
     * errors, or when the fetcher itself broke), or an error item to pass on.
     */
    record Chunk(List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, long nextOffset, boolean last,
                 KafkaConnectorException failure, KafkaError error) {
        Chunk(List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, long nextOffset, boolean last) {
            this(records, nextOffset, last, null, null);
        }
    }

    /** One partition's queue, shared by the fetcher thread (producer) and the worker (consumer). */
    final class Part {
        final String name;
        final TopicPartition tp;
        final long start;
        final long end;
        final LagCell lag;
        private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private volatile boolean closed;
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

        /** The next chunk, or {@code null} if none is ready; never blocks. */
        Chunk take() {
            startIfNeeded();
            Chunk c = queue.poll();
            if (c != null && queued.getAndDecrement() == MAX_CHUNKS) {
                synchronized (space) {
                    space.notifyAll();
                }
            }
            return c;
        }

        void close() {
            closed = true;
            release();
        }

        private void add(Chunk c) {
            queue.add(c);
            queued.incrementAndGet();
        }

        /** A chunk's records as items; runs on the worker thread, the only user of the deserialisers. */
        List<KafkaItem> items(Chunk c) {
            if (c.error() != null) {
                return List.of(c.error());
            }
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> rs = c.records();
            int n = rs.size();
            KafkaItem[] items = new KafkaItem[n];
            for (int i = 0; i < n; i++) {
                items[i] = convert(name, rs.get(i));
            }
            return Arrays.asList(items);
        }
    }

    private final KafkaSourceConfig<K, V> config;
    private final WorkerContext ctx;
    private final KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final Runnable onStart;
    private final Object space = new Object();
    private final List<Part> parts = new ArrayList<>();
    private final List<Part> active = new ArrayList<>();
    private Thread thread;
    private volatile boolean started;
    private int open;
    private volatile boolean closed;

    /** Creates the consumer (on the worker thread, with the bundle's context loader). */
    WorkerFetcher(KafkaSourceConfig<K, V> config, WorkerContext ctx, Runnable onStart) {
        this.config = config;
        this.ctx = ctx;
        this.onStart = onStart;
        this.keys = config.keySerde().deserializer();
        this.values = config.valueSerde().deserializer();
        Map<String, Object> conf = consumerConfig(config, ctx);
        // ByteBuffer deserialisers hand out views of the fetched data without copying it, so the
        // fetch thread, W4's bottleneck, does no per-record copy; the worker then deserialises
        // from the view. A queued chunk keeps its fetch response alive until the worker took it,
        // at most MAX_CHUNKS chunks per partition.
        this.consumer = Tccl.withBundleLoader(
                () -> new KafkaConsumer<>(conf, new ByteBufferDeserializer(), new ByteBufferDeserializer()));
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
     * for a bounded read, where it ends. Runs on the worker thread before the fetcher starts.
     */
    synchronized Part add(String name, TopicPartition tp, Long resume, LagCell lag) {
        if (thread != null) {
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
            parts.add(p);
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

    private void startIfNeeded() {
        if (!started) {
            startOnce();
        }
    }

    private synchronized void startOnce() {
        if (started || closed) {
            return;
        }
        started = true;
        onStart.run();
        thread = new Thread(this, "wax-kafka-" + ctx.stepId() + "-w" + ctx.workerIndex());
        thread.setDaemon(true);
        // Codecs and other kafka-clients classes may be loaded lazily while polling.
        thread.setContextClassLoader(WorkerFetcher.class.getClassLoader());
        thread.start();
    }

    /** Closes the consumer of a fetcher whose first partition failed to open. */
    synchronized void abandonIfUnused() {
        if (open == 0 && !closed) {
            closed = true;
            onStart.run();
            consumer.close(Duration.ZERO);
        }
    }

    /** One partition closed; the last one stops the thread and closes the consumer. */
    private void release() {
        Thread t;
        synchronized (this) {
            if (--open > 0) {
                return;
            }
            closed = true;
            t = thread;
            if (t == null) {
                onStart.run();
                consumer.close(Duration.ZERO);
                return;
            }
        }
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // the thread already ended and closed the consumer
        }
        synchronized (space) {
            space.notifyAll();
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // Anything unexpected still reaches the workers, which raise it: these partitions cannot go on.
            for (Part p : active) {
                p.add(new Chunk(List.of(), p.position, false, new KafkaConnectorException(
                        "Kafka source: the fetcher of " + p.name + " failed: " + e, e), null));
            }
            ctx.wake();
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void loop() {
        boolean bounded = !config.tail();
        while (!closed && !active.isEmpty()) {
            if (dropClosed() || !pace()) {
                continue;
            }
            ConsumerRecords<ByteBuffer, ByteBuffer> records;
            try {
                records = consumer.poll(POLL);
            } catch (WakeupException e) {
                continue;
            } catch (KafkaException e) {
                if (fail(e)) {
                    return;
                }
                continue;
            }
            boolean queued = false;
            List<Part> finished = null;
            for (Part p : active) {
                List<ConsumerRecord<ByteBuffer, ByteBuffer>> rs = records.records(p.tp);
                long next = consumer.position(p.tp);
                boolean last = bounded && next >= p.end;
                if (last) {
                    // Messages that arrived after the partition was opened are not part of a bounded read.
                    next = p.end;
                }
                OptionalLong current = consumer.currentLag(p.tp);
                if (current.isPresent()) {
                    p.lag.endOffset(consumer.position(p.tp) + current.getAsLong());
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
                p.add(new Chunk(rs, next, last));
                queued = true;
                if (last) {
                    if (finished == null) {
                        finished = new ArrayList<>();
                    }
                    finished.add(p);
                }
            }
            if (queued) {
                ctx.wake();
            }
            if (finished != null) {
                active.removeAll(finished);
                reassign();
            }
        }
    }

    /** Stops reading partitions the engine closed; true if any was dropped. */
    private boolean dropClosed() {
        if (active.removeIf(p -> p.closed)) {
            reassign();
            return true;
        }
        return false;
    }

    private void reassign() {
        List<TopicPartition> tps = new ArrayList<>();
        for (Part p : active) {
            tps.add(p.tp);
        }
        consumer.assign(tps);
    }

    /**
     * Waits, and returns false, while any partition's queue is full; the worker's take from that
     * queue ends the wait. The consumer is never paused: a fetch request for only some of a
     * consumer's partitions, one of them at its end, is held by the broker for
     * {@code fetch.max.wait.ms} (500 ms), and no other fetch goes to that broker meanwhile. With
     * per-partition pausing that stalled a worker for 0.4 s in about one W4 run in five at 2
     * workers; a bare consumer loop, which fetches all its partitions together, never stalls.
     */
    private boolean pace() {
        synchronized (space) {
            if (!closed && anyFull()) {
                try {
                    space.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    closed = true;
                }
                return false;
            }
        }
        return true;
    }

    private boolean anyFull() {
        for (Part p : active) {
            if (p.queued.get() >= MAX_CHUNKS) {
                return true;
            }
        }
        return false;
    }

    /**
     * A consumer error: raised by every partition when the source raises on errors (returns
     * true: the fetcher stops), else emitted once as an error item, then a pause.
     */
    private boolean fail(KafkaException e) {
        String msg = "Kafka source: reading " + names() + " from brokers " + config.brokers() + " failed: " + e;
        if (config.raiseOnErrors()) {
            KafkaConnectorException x = new KafkaConnectorException(msg, e);
            for (Part p : active) {
                p.add(new Chunk(List.of(), p.position, false, x, null));
            }
            ctx.wake();
            return true;
        }
        Part p = active.get(0);
        p.add(new Chunk(List.of(), p.position, false, null,
                new KafkaError(p.tp.topic(), p.tp.partition(), -1, msg, null, null, null)));
        ctx.wake();
        long until = System.currentTimeMillis() + ERROR_BACKOFF_MS;
        synchronized (space) {
            while (!closed && System.currentTimeMillis() < until) {
                try {
                    space.wait(Math.max(1, until - System.currentTimeMillis()));
                } catch (InterruptedException ie) {
                    closed = true;
                }
            }
        }
        return false;
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (Part p : active) {
            names.add(p.name);
        }
        return names.size() == 1 ? names.get(0) : names.toString();
    }

    /** A record as a message, or as an error item when it cannot be deserialised (unless raising). */
    private KafkaItem convert(String part, ConsumerRecord<ByteBuffer, ByteBuffer> r) {
        K key;
        V value;
        String which = "key";
        try {
            key = r.key() == null ? null : keys.deserialize(r.topic(), r.headers(), r.key());
            which = "value";
            value = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            String msg = "could not deserialise the " + which + " of " + part + " at offset " + r.offset() + ": " + e;
            if (config.raiseOnErrors()) {
                throw new KafkaConnectorException("Kafka source: " + msg, e);
            }
            return new KafkaError(r.topic(), r.partition(), r.offset(), msg, bytes(r.key()), bytes(r.value()),
                    headers(r.headers()));
        }
        return new KafkaMessage<>(r.topic(), r.partition(), r.offset(), r.timestamp(), key, value,
                headers(r.headers()));
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
