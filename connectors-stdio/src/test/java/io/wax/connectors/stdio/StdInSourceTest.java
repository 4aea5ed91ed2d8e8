package io.wax.connectors.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.Update;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StdInSourceTest {
    @Test
    void everyLineReachesTheFlowOnceWhateverTheWorkerCount() {
        for (int workers = 1; workers <= 3; workers++) {
            TestingSink<String> out = new TestingSink<>();
            Dataflow flow = new Dataflow("lines");
            flow.input("inp", new StdInSource()).output("out", out);
            run(flow, workers, new ByteArrayInputStream("a b a\nb a\n\nlast".getBytes(StandardCharsets.UTF_8)));
            assertEquals(List.of("a b a", "b a", "", "last"), out.items());
        }
    }

    @Test
    void wordcountOverStdin() {
        TestingSink<KV<Long>> out = new TestingSink<>();
        Dataflow flow = new Dataflow("wordcount");
        flow.input("inp", new StdInSource())
                .flatMap("split", line -> List.of(line.trim().split("\\s+")))
                .filter("non_empty", w -> !w.isEmpty())
                .keyOn("key", w -> w)
                .statefulMap("count", (Long n, String w) -> Update.of(n == null ? 1L : n + 1, n == null ? 1L : n + 1))
                .output("out", out);
        run(flow, 2, new ByteArrayInputStream("a b a\nb a\n".getBytes(StandardCharsets.UTF_8)));
        Map<String, Long> last = new TreeMap<>();
        out.items().forEach(kv -> last.merge(kv.key(), kv.value(), Math::max));
        assertEquals(Map.of("a", 3L, "b", 2L), last);
    }

    @Test
    void lineEndingsAndALastLineWithoutOne() {
        TestingSink<String> out = new TestingSink<>();
        Dataflow flow = new Dataflow("ends");
        flow.input("inp", new StdInSource()).output("out", out);
        run(flow, 1, new ByteArrayInputStream("a\r\nb\rc\n\nd".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a", "b", "c", "", "d"), out.items());
    }

    @Test
    void aLineOverTheLimitFailsTheRunNamingTheLineAndTheLimit() {
        TestingSink<String> out = new TestingSink<>();
        Dataflow flow = new Dataflow("long");
        flow.input("inp", new StdInSource(16, 10)).output("out", out);
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> run(flow, 1,
                new ByteArrayInputStream("short\n0123456789\n0123456789x\nnever\n".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("line 3 of standard input is longer than 10 characters, the stdin source's limit"
                + " (set WAX_STDIN_MAX_LINE, or StdInSource's maxLine, to raise it)"), e.getMessage());
        assertEquals(List.of("short", "0123456789"), out.items(), "the lines before it were read");
    }

    @Test
    void theLinesBeforeALineOverTheLimitAreHandedOnBeforeTheError() throws Exception {
        // The reader thread has queued both lines and the error before the first poll (it wakes the
        // worker once per line and once at the end): a poll that met the error used to drop the
        // lines drained with it, so that under load the flow never saw them.
        CountDownLatch queued = new CountDownLatch(3);
        InputStream in = new ByteArrayInputStream("short\n0123456789\n0123456789x\n".getBytes(StandardCharsets.UTF_8));
        SourcePartition<String, Long> part = new StdInSource(16, 10).buildPart(context(in, queued::countDown), "stdin", null);
        assertTrue(queued.await(5, TimeUnit.SECONDS), "the reader thread did not reach the long line");
        assertEquals(List.of("short", "0123456789"), part.nextBatch());
        assertEquals(2L, part.snapshot());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, part::nextBatch);
        assertTrue(e.getMessage().startsWith("line 3 of standard input is longer than 10 characters"), e.getMessage());
        assertNull(part.nextBatch(), "ended after the error");
        part.close();
    }

    @Test
    void linesArrivingLaterWakeTheWorker() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(writer);
        TestingSink<String> out = new TestingSink<>();
        Dataflow flow = new Dataflow("slow");
        flow.input("inp", new StdInSource()).output("out", out);
        Thread feeder = new Thread(() -> {
            try {
                for (int i = 0; i < 5; i++) {
                    writer.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    writer.flush();
                    Thread.sleep(20); // spaced writes: the worker must pick each up without blocking
                }
                writer.close();
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        feeder.start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run(flow, 2, in));
        feeder.join();
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4"), out.items());
    }

    @Test
    void nextBatchNeverBlocksAndEndsWithNull() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(writer);
        AtomicInteger wakes = new AtomicInteger();
        SourcePartition<String, Long> part = new StdInSource(2).buildPart(context(in, wakes::incrementAndGet), "stdin", null);
        assertEquals(List.of(), part.nextBatch(), "nothing written yet: an empty batch, at once");
        writer.write("x\ny\nz\n".getBytes(StandardCharsets.UTF_8));
        writer.close();
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> batch;
        while ((batch = part.nextBatch()) != null) {
            assertTrue(batch.size() <= 2, "batches respect the batch size");
            seen.addAll(batch);
            assertTrue(System.nanoTime() < deadline, "no end of input within 5 s");
            Thread.onSpinWait();
        }
        assertEquals(List.of("x", "y", "z"), seen);
        assertEquals(3L, part.snapshot());
        assertTrue(wakes.get() >= 1, "the reader wakes the worker when lines arrive");
        assertNull(part.nextBatch(), "stays ended");
        part.close();
    }

    @Test
    void resumedPartitionSkipsLinesAlreadyRead() throws Exception {
        InputStream in = new ByteArrayInputStream("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        SourcePartition<String, Long> part = new StdInSource().buildPart(context(in, () -> { }), "stdin", 2L);
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (List<String> b = part.nextBatch(); b != null; b = part.nextBatch()) {
            seen.addAll(b);
            assertTrue(System.nanoTime() < deadline, "no end of input within 5 s");
        }
        assertEquals(List.of("c"), seen);
        assertEquals(3L, part.snapshot());
        part.close();
    }

    @Test
    void closeStopsTheReaderThread() throws Exception {
        // A producer far faster than the flow: the reader waits on the full queue until closed.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return '\n';
            }
        };
        SourcePartition<String, Long> part = new StdInSource().buildPart(context(endless, () -> { }), "stdin", null);
        Thread reader = readerThread();
        assertTrue(reader.isAlive());
        part.close();
        reader.join(5000);
        assertFalse(reader.isAlive(), "the reader thread ends when the partition is closed");
    }

    private static Thread readerThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("wax-stdin-test.inp")) {
                return t;
            }
        }
        throw new AssertionError("no reader thread named wax-stdin-test.inp");
    }

    private static WorkerContext context(InputStream in, Runnable waker) {
        return new WorkerContext("test.inp", 0, 1, System.out, in, waker);
    }

    private static void run(Dataflow flow, int workers, InputStream in) {
        Runner.run(flow, RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(50))
                .withStdio(System.out, in));
    }
}
