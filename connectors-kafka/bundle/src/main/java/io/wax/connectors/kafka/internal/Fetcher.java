package io.wax.connectors.kafka.internal;

import io.wax.api.io.WorkerContext;
import io.wax.connectors.kafka.KafkaConnectorException;
import io.wax.connectors.kafka.KafkaError;
import io.wax.connectors.kafka.KafkaHeader;
import io.wax.connectors.kafka.KafkaItem;
import io.wax.connectors.kafka.KafkaMessage;
import io.wax.connectors.kafka.KafkaSourceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The thread that owns one partition's consumer after it is opened: it polls (blocking, off the
 * worker thread), converts records into {@link KafkaItem}s and queues them as chunks of at most
 * {@code batchSize}, at most {@link #MAX_CHUNKS} ahead of the worker, then wakes the worker. The
 * consumer is touched only by this thread; {@link #close()} interrupts its poll with
 * {@link KafkaConsumer#wakeup()}, the one thread-safe consumer method.
 */
final class Fetcher<K, V> implements Runnable {
    /** Chunks queued ahead of the worker: bounds memory and keeps a slow flow from being flooded. */
    static final int MAX_CHUNKS = 8;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long ERROR_BACKOFF_MS = 1000;

    /**
     * A batch for the worker: the items, the next offset after them, whether it is the last of a
     * bounded read, and a failure the worker must raise (set only when the source raises on
     * errors, or when the fetcher itself broke).
     */
    record Chunk(List<KafkaItem> items, long nextOffset, boolean last, KafkaConnectorException failure) {
    }

    private final KafkaSourceConfig<K, V> config;
    private final WorkerContext ctx;
    private final String part;
    private final TopicPartition tp;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final long endAtStart;
    private final LagCell lag;
    private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore space = new Semaphore(MAX_CHUNKS);
    private final Thread thread;
    private volatile boolean closed;
    private long position;

    Fetcher(KafkaSourceConfig<K, V> config, WorkerContext ctx, String part, TopicPartition tp,
            KafkaConsumer<byte[], byte[]> consumer, long position, long endAtStart, LagCell lag) {
        this.config = config;
        this.ctx = ctx;
        this.part = part;
        this.tp = tp;
        this.consumer = consumer;
        this.keys = config.keySerde().deserializer();
        this.values = config.valueSerde().deserializer();
        this.position = position;
        this.endAtStart = endAtStart;
        this.lag = lag;
        this.thread = new Thread(this, "wax-kafka-" + ctx.stepId() + "-" + part + "-w" + ctx.workerIndex());
        thread.setDaemon(true);
        // Codecs and other kafka-clients classes may be loaded lazily while polling.
        thread.setContextClassLoader(Fetcher.class.getClassLoader());
    }

    void start() {
        thread.start();
    }

    /** The next chunk, or {@code null} if none is ready; never blocks. */
    Chunk take() {
        Chunk c = queue.poll();
        if (c != null) {
            space.release();
        }
        return c;
    }

    void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // Anything unexpected still reaches the worker, which raises it: this partition cannot go on.
            enqueue(new Chunk(List.of(), position, false,
                    new KafkaConnectorException("Kafka source: the fetcher of " + part + " failed: " + e, e)));
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void loop() {
        boolean bounded = !config.tail();
        while (!closed) {
            if (!acquire()) {
                continue;
            }
            ConsumerRecords<byte[], byte[]> records;
            long next;
            try {
                records = consumer.poll(POLL);
                next = consumer.position(tp);
            } catch (WakeupException e) {
                space.release();
                continue;
            } catch (KafkaException e) {
                Chunk c = failure("Kafka source: reading " + part + " from brokers " + config.brokers() + " failed: "
                        + e, e);
                enqueue(c);
                if (config.raiseOnErrors()) {
                    return;
                }
                pause(ERROR_BACKOFF_MS);
                continue;
            }
            boolean last = false;
            if (bounded && next >= endAtStart) {
                // Messages that arrived after the partition was opened are not part of a bounded read.
                next = endAtStart;
                last = true;
            }
            OptionalLong current = consumer.currentLag(tp);
            if (current.isPresent()) {
                lag.endOffset(consumer.position(tp) + current.getAsLong());
            }
            if (records.isEmpty() && next == position && !last) {
                space.release();
                continue;
            }
            List<KafkaItem> items = new ArrayList<>(records.count());
            KafkaConnectorException failure = null;
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (bounded && r.offset() >= endAtStart) {
                    break;
                }
                try {
                    items.add(convert(r));
                } catch (KafkaConnectorException e) {
                    failure = e;
                    break;
                }
            }
            position = next;
            enqueue(new Chunk(items, next, last, failure));
            if (last || failure != null) {
                return;
            }
        }
    }

    /** Waits for room in the queue; false if none came within a poll interval (to re-check closing). */
    private boolean acquire() {
        try {
            return space.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            closed = true;
            return false;
        }
    }

    private void enqueue(Chunk c) {
        queue.add(c);
        ctx.wake();
    }

    private Chunk failure(String msg, Throwable cause) {
        KafkaConnectorException e = new KafkaConnectorException(msg, cause);
        List<KafkaItem> items = config.raiseOnErrors() ? List.of()
                : List.of(new KafkaError(tp.topic(), tp.partition(), -1, msg, null, null, null));
        return new Chunk(items, position, false, config.raiseOnErrors() ? e : null);
    }

    private void pause(long ms) {
        long until = System.currentTimeMillis() + ms;
        while (!closed && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                closed = true;
            }
        }
    }

    /** A record as a message, or as an error item when it cannot be deserialised (unless raising). */
    private KafkaItem convert(ConsumerRecord<byte[], byte[]> r) {
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
            return new KafkaError(r.topic(), r.partition(), r.offset(), msg, r.key(), r.value(), headers(r.headers()));
        }
        return new KafkaMessage<>(r.topic(), r.partition(), r.offset(), r.timestamp(), key, value,
                headers(r.headers()));
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
