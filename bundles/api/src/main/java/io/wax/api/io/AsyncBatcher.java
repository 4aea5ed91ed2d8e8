package io.wax.api.io;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Batches the items of a producer that runs on its own thread (a blocking client, a callback of an
 * asynchronous one) for a source partition, as Bytewax's {@code batch_async}: a batch is ready
 * when it has {@code batchSize} items, or when {@code timeout} has passed since its first item.
 * The partition's {@code nextBatch} and {@code nextAwake} delegate here and never block.
 *
 * <pre>{@code
 * AsyncBatcher<String> batcher = AsyncBatcher.fromBlocking(socket::readLine, 100, Duration.ofMillis(50), ctx);
 * // nextBatch(): return batcher.nextBatch();  nextAwake(): return batcher.nextAwake();  close(): batcher.close();
 * }</pre>
 */
public final class AsyncBatcher<T> implements AutoCloseable {
    /** A blocking call that returns the next item, or {@code null} at the end of the data. */
    @FunctionalInterface
    public interface BlockingGetter<T> {
        T get() throws Exception;
    }

    private final int batchSize;
    private final Duration timeout;
    private final Runnable wake;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private Instant firstAt;
    private boolean ended;
    private Exception failure;
    private Thread producer;

    /** @param wake called when a batch becomes ready: pass {@code ctx::wake} of the partition's worker */
    public AsyncBatcher(int batchSize, Duration timeout, Runnable wake) {
        Batching.checkSize(batchSize);
        this.batchSize = batchSize;
        this.timeout = timeout;
        this.wake = wake == null ? () -> { } : wake;
    }

    /** A batcher fed by a daemon thread that calls {@code getter} until it returns null, fails, or the batcher is closed. */
    public static <T> AsyncBatcher<T> fromBlocking(BlockingGetter<? extends T> getter, int batchSize, Duration timeout,
                                                   WorkerContext ctx) {
        AsyncBatcher<T> b = new AsyncBatcher<>(batchSize, timeout, ctx == null ? null : ctx::wake);
        Thread t = new Thread(() -> {
            try {
                T x;
                while (!Thread.currentThread().isInterrupted() && (x = getter.get()) != null) {
                    b.offer(x);
                }
                b.end();
            } catch (InterruptedException e) {
                b.end();
            } catch (Exception e) {
                b.fail(e);
            }
        }, "wax-async-batcher" + (ctx == null ? "" : "-" + ctx.stepId()));
        t.setDaemon(true);
        b.producer = t;
        t.start();
        return b;
    }

    /** Adds an item; any thread. */
    public void offer(T item) {
        boolean ready;
        synchronized (this) {
            if (items.isEmpty()) {
                firstAt = Instant.now();
            }
            items.add(item);
            // The first item starts the timeout, which the worker learns from nextAwake.
            ready = items.size() == batchSize || items.size() == 1;
        }
        if (ready) {
            wake.run();
        }
    }

    /** The producer has no more items: once the last batch is taken, {@link #nextBatch} returns null. */
    public void end() {
        synchronized (this) {
            ended = true;
        }
        wake.run();
    }

    /** The producer failed: the next {@link #nextBatch} throws {@code e}. */
    public void fail(Exception e) {
        synchronized (this) {
            failure = e;
        }
        wake.run();
    }

    /** A full or timed-out batch, an empty list when none is ready, or null at the end. Never blocks. */
    public synchronized List<T> nextBatch() throws Exception {
        if (failure != null) {
            throw failure;
        }
        boolean due = items.size() >= batchSize || ended
                || firstAt != null && !Instant.now().isBefore(firstAt.plus(timeout));
        if (!due || items.isEmpty()) {
            return ended && items.isEmpty() ? null : List.of();
        }
        List<T> b = new ArrayList<>(Math.min(batchSize, items.size()));
        while (b.size() < batchSize && !items.isEmpty()) {
            b.add(items.poll());
        }
        firstAt = items.isEmpty() ? null : Instant.now();
        return b;
    }

    /** When the pending batch times out, or null (no items: the producer wakes the worker). */
    public synchronized Instant nextAwake() {
        if (items.size() >= batchSize || ended || failure != null) {
            return null;
        }
        return firstAt == null ? Instant.now().plus(Duration.ofMillis(100)) : firstAt.plus(timeout);
    }

    /** Stops the producer thread of {@link #fromBlocking}, interrupting a blocking call, and waits for it. */
    @Override
    public void close() throws InterruptedException {
        Thread t = producer;
        if (t != null) {
            t.interrupt();
            t.join(1000);
        }
    }
}
