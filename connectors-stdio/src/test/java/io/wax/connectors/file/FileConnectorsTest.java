package io.wax.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.InMemoryRecoveryStore;
import io.wax.engine.Runner;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.FlowFailedException;
import io.wax.spi.engine.RunOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytewax's file connectors ({@code bytewax.connectors.files} and its tests), at 1 and 3 workers. */
class FileConnectorsTest {
    @TempDir
    Path tmp;

    private static RunOptions options(int workers) {
        return RunOptions.defaults().withWorkers(workers).withEpochInterval(Duration.ofMillis(50));
    }

    private static List<String> lines(String prefix, int n) {
        List<String> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(prefix + i);
        }
        return xs;
    }

    private static List<String> sorted(List<String> xs) {
        return xs.stream().sorted().toList();
    }

    private static <T> List<T> run(int workers, PartitionedSource<T, ?> source) {
        TestingSink<T> out = new TestingSink<>();
        Dataflow flow = new Dataflow("files");
        flow.input("inp", source).output("out", out);
        Runner.run(flow, options(workers));
        return out.items();
    }

    /** Bytewax's test_file_input: every line of the file, without its line end. */
    @Test
    void fileSourceReadsEveryLine() throws IOException {
        Path f = tmp.resolve("in.txt");
        Files.writeString(f, "one\ntwo\r\nthree");
        for (int w : new int[] {1, 3}) {
            assertEquals(List.of("one", "two", "three"), run(w, new FileSource(f, 2)), w + " worker(s)");
        }
    }

    /** Bytewax's test_dir_input: one partition per file, each file's lines in order. */
    @Test
    void dirSourceReadsEveryFileAsAPartition() throws IOException {
        Files.write(tmp.resolve("a.txt"), lines("a", 5));
        Files.write(tmp.resolve("b.txt"), lines("b", 5));
        Files.write(tmp.resolve("c.log"), lines("c", 5));
        DirSource src = new DirSource(tmp, "*.txt", 2);
        assertEquals(List.of("a.txt", "b.txt"), src.listParts());
        for (int w : new int[] {1, 3}) {
            List<String> got = run(w, src);
            List<String> expected = new ArrayList<>(lines("a", 5));
            expected.addAll(lines("b", 5));
            assertEquals(sorted(expected), sorted(got), w + " worker(s)");
            assertEquals(lines("a", 5), got.stream().filter(s -> s.startsWith("a")).toList(), "a file's lines in order");
        }
    }

    /** Bytewax's test_csv_input: a map per row, keyed by the header's column names. */
    @Test
    void csvSourceMapsRowsByTheHeader() throws IOException {
        Path f = tmp.resolve("in.csv");
        Files.writeString(f, "name,note\nalice,\"says \"\"hi\"\", twice\"\n\nbob,\"two\nlines\"\n");
        for (int w : new int[] {1, 3}) {
            assertEquals(List.of(Map.of("name", "alice", "note", "says \"hi\", twice"), Map.of("name", "bob", "note", "two\nlines")),
                    run(w, new CsvSource(f)), w + " worker(s)");
        }
    }

    /** Bytewax's test_file_output and DirSink: values as lines; one file per partition, a key always in the same one. */
    @Test
    void fileAndDirSinksWriteLines() throws IOException {
        for (int w : new int[] {1, 3}) {
            Path file = tmp.resolve("out-" + w + ".txt");
            Path dir = tmp.resolve("out-" + w);
            Dataflow flow = new Dataflow("files");
            var keyed = flow.input("inp", new TestingSource<String>(lines("x", 30), 4)).keyOn("key", x -> x);
            keyed.output("file", new FileSink<>(file));
            keyed.output("dir", new DirSink<>(dir, 3));
            Runner.run(flow, options(w));
            assertEquals(lines("x", 30), Files.readAllLines(file), "the file sink keeps the order, " + w + " worker(s)");
            assertEquals(List.of("part_0", "part_1", "part_2"), list(dir).stream().map(p -> p.getFileName().toString()).toList());
            assertEquals(sorted(lines("x", 30)), sorted(readAll(dir)));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static List<String> readAll(Path dir) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path p : list(dir)) {
            all.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
        }
        return all;
    }

    /**
     * Reads through a file source, and aborts once after 150 lines of a run, but only when some
     * epochs are committed (so the resumed run starts mid-file, and the sinks have lines past
     * their snapshot to truncate): returns nothing while it waits.
     */
    private record Aborting<S>(PartitionedSource<String, S> inner, InMemoryRecoveryStore store, AtomicBoolean aborted)
            implements PartitionedSource<String, S> {
        @Override
        public List<String> listParts() throws Exception {
            return inner.listParts();
        }

        @Override
        public SourcePartition<String, S> buildPart(WorkerContext ctx, String part, S resume) throws Exception {
            SourcePartition<String, S> p = inner.buildPart(ctx, part, resume);
            return new SourcePartition<>() {
                int read;

                @Override
                public List<String> nextBatch() throws Exception {
                    if (!aborted.get() && read >= 50 && store.lowestFrontier() < 3) {
                        return List.of();
                    }
                    if (read >= 150 && aborted.compareAndSet(false, true)) {
                        throw new TestingSource.AbortExecution(part + " after 150 lines");
                    }
                    List<String> b = p.nextBatch();
                    read += b == null ? 0 : b.size();
                    return b;
                }

                @Override
                public Instant nextAwake() {
                    return !aborted.get() && read >= 50 && store.lowestFrontier() < 3 ? Instant.now().plusMillis(1) : null;
                }

                @Override
                public S snapshot() throws Exception {
                    return p.snapshot();
                }

                @Override
                public void close() throws Exception {
                    p.close();
                }
            };
        }
    }

    /** A run aborted mid-file and resumed writes every line exactly once: file source to file sink. */
    @Test
    void fileToFileIsExactlyOnceOverAnAbort() throws IOException {
        Path in = tmp.resolve("in.txt");
        Files.write(in, lines("line-", 400));
        for (int w : new int[] {1, 3}) {
            Path out = tmp.resolve("out-" + w + ".txt");
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            AtomicBoolean aborted = new AtomicBoolean();
            RunOptions opts = options(w).withRecovery(store);
            java.util.function.Supplier<Dataflow> flow = () -> {
                Dataflow f = new Dataflow("copy");
                f.input("inp", new Aborting<>(new FileSource(in, 10), store, aborted)).keyOn("all", x -> "all")
                        .output("out", new FileSink<>(out));
                return f;
            };
            assertThrows(FlowAbortedException.class, () -> Runner.run(flow.get(), opts));
            assertTrue(aborted.get());
            Runner.run(flow.get(), opts);
            assertEquals(lines("line-", 400), Files.readAllLines(out), "every line once, in order, " + w + " worker(s)");
        }
    }

    /** The same from a directory of three files to a directory sink of three files. */
    @Test
    void dirToDirIsExactlyOnceOverAnAbort() throws IOException {
        Path in = Files.createDirectory(tmp.resolve("in"));
        List<String> expected = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Files.write(in.resolve(name + ".txt"), lines(name + "-", 300));
            expected.addAll(lines(name + "-", 300));
        }
        for (int w : new int[] {1, 3}) {
            Path out = tmp.resolve("out-" + w);
            InMemoryRecoveryStore store = new InMemoryRecoveryStore();
            AtomicBoolean aborted = new AtomicBoolean();
            RunOptions opts = options(w).withRecovery(store);
            java.util.function.Supplier<Dataflow> flow = () -> {
                Dataflow f = new Dataflow("copy");
                f.input("inp", new Aborting<>(new DirSource(in, "*.txt", 10), store, aborted)).keyOn("line", x -> x)
                        .output("out", new DirSink<>(out, 3));
                return f;
            };
            assertThrows(FlowAbortedException.class, () -> Runner.run(flow.get(), opts));
            Runner.run(flow.get(), opts);
            assertEquals(sorted(expected), sorted(readAll(out)), "every line once, " + w + " worker(s)");
        }
    }

    private FileConnectorException failure(PartitionedSource<?, ?> src, io.wax.api.io.Sink<?> sink) {
        Dataflow flow = new Dataflow("bad");
        @SuppressWarnings({"unchecked", "rawtypes"})
        var s = flow.input("inp", (PartitionedSource) src).keyOn("k", x -> "k");
        s.output("out", (io.wax.api.io.Sink) sink);
        FlowFailedException e = assertThrows(FlowFailedException.class, () -> Runner.run(flow, options(1)));
        return assertInstanceOf(FileConnectorException.class, e.getCause());
    }

    @Test
    void badFilesGiveClearErrors() throws IOException {
        Path good = tmp.resolve("good.txt");
        Files.writeString(good, "x\n");
        Path missing = tmp.resolve("missing.txt");
        assertEquals("file source: no file " + missing + "; give the path of an existing file",
                failure(new FileSource(missing), new TestingSink<>()).getMessage());
        assertEquals("file source: " + tmp + " is a directory, not a file",
                failure(new FileSource(tmp), new TestingSink<>()).getMessage());
        assertEquals("dir source: no directory " + missing + "; give the path of a directory of files to read",
                failure(new DirSource(missing), new TestingSink<>()).getMessage());

        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "a,b\n1,2\n\n3,4,5\n");
        assertEquals("CSV source: " + csv + " line 4: 3 field(s), but the header has 2 (a,b)",
                failure(new CsvSource(csv), new TestingSink<>()).getMessage());
        Files.writeString(csv, "a,b\n1,\"2\n3,4\n");
        assertEquals("CSV source: " + csv + " line 2: a quoted field is not closed before the end of the file (a \" is missing)",
                failure(new CsvSource(csv), new TestingSink<>()).getMessage());

        Files.writeString(csv, "");
        assertEquals("CSV source: " + csv + " is empty: the first line must be the header row",
                failure(new CsvSource(csv), new TestingSink<>()).getMessage());

        assertEquals("dir sink: " + good + " is not a directory; give a directory to write in",
                failure(new FileSource(good), new DirSink<>(good, 2)).getMessage());
        Path proc = Path.of("/proc/wax-not-writable");
        assertTrue(failure(new FileSource(good), new DirSink<>(proc, 2)).getMessage()
                .startsWith("dir sink: cannot create the directory /proc/wax-not-writable ("));
    }

    @Test
    void aFileShorterThanItsSnapshotsOffsetIsNamed() throws IOException {
        // Changed since the snapshot: the message gives the sizes (it said "cannot write ... (null)").
        Path out = tmp.resolve("out.txt");
        Files.writeString(out, "0123456789");
        FileSink<String> sink = new FileSink<>(out);
        WorkerContext ctx = new WorkerContext("t.out", 0, 1, System.out, InputStream.nullInputStream(), () -> { });
        FileConnectorException e = assertThrows(FileConnectorException.class, () -> sink.buildPart(ctx, sink.listParts().get(0), 42L));
        assertEquals("file sink: " + out + " is shorter (10 bytes) than its snapshot's offset 42: was it changed since?"
                + " delete the recovery data to start over", e.getMessage());
        Path in = tmp.resolve("in.txt");
        Files.writeString(in, "x\n");
        FileConnectorException s = assertThrows(FileConnectorException.class,
                () -> new FileSource(in).buildPart(ctx, new FileSource(in).listParts().get(0), 42L).nextBatch());
        assertTrue(s.getMessage().startsWith("file source: " + in + " is shorter (2 bytes) than its snapshot's offset 42"), s.getMessage());
    }
}
