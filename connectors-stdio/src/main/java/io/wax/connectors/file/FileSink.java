package io.wax.connectors.file;

import io.wax.api.io.PartitionedSink;
import io.wax.api.io.SinkPartition;
import io.wax.api.io.WorkerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a keyed stream's values to one file, a line each, as Bytewax's {@code FileSink}: a
 * single partition, so one worker writes it. A fresh run truncates the file; with recovery a
 * resumed run truncates it to the offset of its last snapshot, so every line is written exactly once.
 *
 * <pre>{@code
 * counts.map("format", kv -> kv.key() + " " + kv.value()).keyOn("all", s -> "all")
 *     .output("out", new FileSink<>(Path.of("out.txt")));
 * }</pre>
 */
public final class FileSink<V> implements PartitionedSink<V, Long> {
    private final Path path;
    private final String end;

    public FileSink(Path path) {
        this(path, "\n");
    }

    /** @param end written after every value */
    public FileSink(Path path, String end) {
        this.path = path.toAbsolutePath().normalize();
        this.end = end;
    }

    @Override
    public List<String> listParts() {
        DirSink.checkWritableDir("file sink", path.getParent());
        if (Files.isDirectory(path)) {
            throw new FileConnectorException("file sink: " + path + " is a directory; give the path of a file to write");
        }
        // Opening a pipe with no reader would block the run for good, and it cannot be truncated on a resume.
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new FileConnectorException("file sink: " + path + " is not a regular file (a pipe, a device or a socket),"
                    + " which cannot be truncated to a snapshot's offset; give a regular file (StdOutSink writes to a pipe)");
        }
        return List.of(path.toString());
    }

    @Override
    public SinkPartition<V, Long> buildPart(WorkerContext ctx, String part, Long resume) {
        return new FileWriterPart<>("file sink", path, resume, end);
    }
}
