package io.wax.connectors.file;

import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one file (without their line ends), as Bytewax's {@code FileSource}: a single
 * partition, named by the path, whose snapshot is the byte offset of the next line, so a resumed
 * run continues exactly there.
 *
 * <pre>{@code
 * flow.input("inp", new FileSource(Path.of("input.txt")));
 * }</pre>
 */
public final class FileSource implements PartitionedSource<String, Long> {
    static final int DEFAULT_BATCH_SIZE = 1000;
    private final Path path;
    private final int batchSize;

    public FileSource(Path path) {
        this(path, DEFAULT_BATCH_SIZE);
    }

    public FileSource(Path path, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("FileSource batchSize must be at least 1, got " + batchSize);
        }
        this.path = path.toAbsolutePath().normalize();
        this.batchSize = batchSize;
    }

    @Override
    public List<String> listParts() {
        LineReader.checkReadable("file source", path);
        return List.of(path.toString());
    }

    @Override
    public SourcePartition<String, Long> buildPart(WorkerContext ctx, String part, Long resume) {
        return new LinePartition(LineReader.open("file source", path, resume == null ? 0 : resume), batchSize);
    }

    /** A file's lines in batches; shared with {@link DirSource}. */
    static final class LinePartition implements SourcePartition<String, Long> {
        private final LineReader reader;
        private final int batchSize;

        LinePartition(LineReader reader, int batchSize) {
            this.reader = reader;
            this.batchSize = batchSize;
        }

        @Override
        public List<String> nextBatch() throws IOException {
            List<String> batch = new ArrayList<>();
            String line;
            while (batch.size() < batchSize && (line = reader.next()) != null) {
                batch.add(line);
            }
            return batch.isEmpty() ? null : batch;
        }

        @Override
        public Long snapshot() {
            return reader.offset();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
