package io.wax.connectors.file;

import io.wax.api.io.PartitionedSink;
import io.wax.api.io.SinkPartition;
import io.wax.api.io.WorkerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a keyed stream's values to {@code fileCount} files {@code part_0}, {@code part_1}, ... in
 * a directory, a line each, as Bytewax's {@code DirSink}: one partition per file, each key's
 * values always in the same file (by the stable key hash), the files written in parallel by the
 * workers that own them. Exactly-once with recovery, like {@link FileSink}. The directory is
 * created if it does not exist.
 *
 * <pre>{@code
 * totals.map("format", kv -> kv.key() + "," + kv.value())...
 *     .output("out", new DirSink<>(Path.of("out"), 3));
 * }</pre>
 */
public final class DirSink<V> implements PartitionedSink<V, Long> {
    private final Path dir;
    private final int fileCount;
    private final String end;

    public DirSink(Path dir, int fileCount) {
        this(dir, fileCount, "\n");
    }

    public DirSink(Path dir, int fileCount, String end) {
        if (fileCount < 1) {
            throw new IllegalArgumentException("DirSink fileCount must be at least 1, got " + fileCount);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.fileCount = fileCount;
        this.end = end;
    }

    @Override
    public List<String> listParts() {
        checkWritableDir("dir sink", dir);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fileCount; i++) {
            names.add("part_" + i);
        }
        return names;
    }

    @Override
    public SinkPartition<V, Long> buildPart(WorkerContext ctx, String part, Long resume) {
        return new FileWriterPart<>("dir sink", dir.resolve(part), resume, end);
    }

    /** Creates {@code dir} if needed; a clear error when it cannot be, or cannot be written in. */
    static void checkWritableDir(String what, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FileConnectorException(what + ": " + dir + " is not a directory; give a directory to write in");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FileConnectorException(what + ": cannot create the directory " + dir + " (" + LineReader.reason(e) + ")"
                    + "; give a directory that can be written in", e);
        }
        if (!Files.isWritable(dir)) {
            throw new FileConnectorException(what + ": the directory " + dir + " is not writable; make it writable, "
                    + "or give another");
        }
    }
}
