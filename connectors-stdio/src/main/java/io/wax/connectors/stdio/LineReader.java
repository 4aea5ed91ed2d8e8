package io.wax.connectors.stdio;

import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The open {@code "stdin"} partition. Reading a stream blocks and a worker must never block, so a
 * small reader thread reads lines into a bounded queue and wakes the worker; {@link #nextBatch()}
 * only drains the queue. The bound keeps a fast producer from filling the heap: the reader waits
 * while the flow catches up.
 */
final class LineReader implements SourcePartition<String, Long> {
    /** Queue capacity in lines. */
    static final int CAPACITY = 4096;

    /** Queued after the last line: end of input, or the read error that ended it. */
    private record End(IOException error) {
    }

    private final WorkerContext ctx;
    private final int batchSize;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private long skip;
    private long position;
    private boolean ended;

    LineReader(WorkerContext ctx, int batchSize, long resumeAt) {
        this.ctx = ctx;
        this.batchSize = batchSize;
        this.skip = resumeAt;
        this.position = resumeAt;
        this.thread = new Thread(this::readAll, "wax-stdin-" + ctx.stepId());
        // Daemon: a thread blocked on a terminal that never sends EOF must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
    }

    private void readAll() {
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.stdin(), StandardCharsets.UTF_8));
        Object end = new End(null);
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                queue.put(line);
                ctx.wake();
            }
        } catch (IOException e) {
            end = new End(e);
        } catch (InterruptedException e) {
            return; // closed by the worker: nobody reads the queue any more
        }
        try {
            queue.put(end);
            ctx.wake();
        } catch (InterruptedException e) {
            // closed meanwhile: nothing left to report
        }
    }

    @Override
    public List<String> nextBatch() {
        if (ended) {
            return null;
        }
        List<String> lines = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (lines.size() < batchSize) {
            Object next = queue.poll();
            if (next == null) {
                break;
            }
            if (next instanceof End end) {
                ended = true;
                if (end.error() != null) {
                    throw new UncheckedIOException("reading standard input failed", end.error());
                }
                break;
            }
            if (skip > 0) {
                skip--; // replayed input a resumed run has already seen
                continue;
            }
            lines.add((String) next);
            position++;
        }
        return ended && lines.isEmpty() ? null : lines;
    }

    @Override
    public Long snapshot() {
        return position;
    }

    @Override
    public void close() throws InterruptedException {
        // The stream is the caller's (terminal or shell session), so it is not closed here. A thread
        // blocked in read() ends at its next line or at EOF; one waiting on the full queue ends now.
        thread.interrupt();
        thread.join(100);
    }
}
