package io.wax.connectors.file;

import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lines of every file in a directory that matches a glob, as Bytewax's {@code DirSource}:
 * one partition per file, named by its path relative to the directory, so the files are read in
 * parallel by the workers and each resumes at its own byte offset.
 *
 * <pre>{@code
 * flow.input("inp", new DirSource(Path.of("logs"), "*.log"));
 * }</pre>
 */
public final class DirSource implements PartitionedSource<String, Long> {
    private final Path dir;
    private final String glob;
    private final int batchSize;

    /** Every file directly in {@code dir}. */
    public DirSource(Path dir) {
        this(dir, "*", FileSource.DEFAULT_BATCH_SIZE);
    }

    public DirSource(Path dir, String glob) {
        this(dir, glob, FileSource.DEFAULT_BATCH_SIZE);
    }

    /** @param glob matched against paths relative to {@code dir}: {@code *.csv}, {@code ** /*.log} */
    public DirSource(Path dir, String glob, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DirSource batchSize must be at least 1, got " + batchSize);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.glob = glob;
        this.batchSize = batchSize;
    }

    @Override
    public List<String> listParts() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new FileConnectorException("dir source: " + (Files.exists(dir) ? dir + " is not a directory"
                    : "no directory " + dir) + "; give the path of a directory of files to read");
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(dir::relativize).filter(m::matches)
                    .map(Path::toString).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            // Files.walk reports a subdirectory it cannot open while it iterates, unchecked.
            IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            String at = io instanceof FileSystemException f && f.getFile() != null ? f.getFile() : dir.toString();
            throw new FileConnectorException("dir source: cannot list the files of " + at + " (" + LineReader.reason(io)
                    + ")" + (io instanceof AccessDeniedException ? "; make it readable" : ""), io);
        }
    }

    @Override
    public SourcePartition<String, Long> buildPart(WorkerContext ctx, String part, Long resume) {
        Path file = dir.resolve(part);
        return new FileSource.LinePartition(LineReader.open("dir source", file, resume == null ? 0 : resume), batchSize);
    }
}
