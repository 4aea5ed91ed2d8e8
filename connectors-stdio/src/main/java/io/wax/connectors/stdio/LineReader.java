package io.wax.connectors.stdio;

import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
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
    private final int maxLine;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private long skip;
    private long position;
    private boolean ended;
    /** The read error that ended the input, thrown once the lines read before it are handed on. */
    private IOException failure;

    LineReader(WorkerContext ctx, int batchSize, int maxLine, long resumeAt) {
        this.ctx = ctx;
        this.batchSize = batchSize;
        this.maxLine = maxLine;
        this.skip = resumeAt;
        this.position = resumeAt;
        this.thread = new Thread(this::readAll, "wax-stdin-" + ctx.stepId());
        // Daemon: a thread blocked on a terminal that never sends EOF must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
    }

    private void readAll() {
        Reader in = new BufferedReader(new InputStreamReader(ctx.stdin(), StandardCharsets.UTF_8), 1 << 16);
        Object end = new End(null);
        try {
            StringBuilder line = new StringBuilder();
            long number = 0;
            boolean afterCr = false;
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n' && afterCr) {
                    afterCr = false; // the \n of a \r\n
                    continue;
                }
                afterCr = c == '\r';
                if (c == '\n' || c == '\r') {
                    number++;
                    queue.put(line.toString());
                    line.setLength(0);
                    ctx.wake();
                } else if (line.length() == maxLine) {
                    end = new End(new IOException("line " + (number + 1) + " of standard input is longer than "
                            + maxLine + " characters, the stdin source's limit (set WAX_STDIN_MAX_LINE, or "
                            + "StdInSource's maxLine, to raise it)"));
                    break;
                } else {
                    line.append((char) c);
                }
            }
            if (end instanceof End e && e.error() == null && !line.isEmpty()) {
                queue.put(line.toString()); // the last line had no terminator
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
            return fail();
        }
        List<String> lines = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (lines.size() < batchSize) {
            Object next = queue.poll();
            if (next == null) {
                break;
            }
            if (next instanceof End end) {
                // The lines drained with it go to the flow first: the error comes with the next poll.
                ended = true;
                failure = end.error();
                break;
            }
            if (skip > 0) {
                skip--; // replayed input a resumed run has already seen
                continue;
            }
            lines.add((String) next);
            position++;
        }
        return ended && lines.isEmpty() ? fail() : lines;
    }

    /** After the end of input: the read error that ended it (once), or null for the end. */
    private List<String> fail() {
        IOException e = failure;
        failure = null;
        if (e != null) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return null;
    }

    @Override
    public Long snapshot() {
        return position;
    }

    @Override
    public void close() {
        // The stream is the caller's (terminal or shell session), so it is not closed here. A thread
        // blocked in read() ends at its next line or at EOF; one waiting on the full queue ends now.
        thread.interrupt();
        try {
            thread.join(100);
        } catch (InterruptedException e) {
            // closing because the run was stopped: keep the flag for the caller, the thread is told
            Thread.currentThread().interrupt();
        }
    }
}
