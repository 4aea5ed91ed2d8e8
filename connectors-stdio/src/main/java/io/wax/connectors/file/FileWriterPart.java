package io.wax.connectors.file;

import io.wax.api.io.SinkPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One output file: opened and truncated to the resumed offset (0 for a fresh run), as Bytewax's
 * file sinks do, so that what a resumed run writes again replaces what the aborted run wrote
 * after its last snapshot. Writes each value's {@code toString()} and the line end; flushes at
 * every epoch end; a snapshot forces the file to disk and is the offset of its end.
 */
final class FileWriterPart<V> implements SinkPartition<V, Long> {
    private final String what;
    private final Path path;
    private final FileChannel channel;
    private final String end;
    private final StringBuilder pending = new StringBuilder();

    FileWriterPart(String what, Path path, Long resume, String end) {
        this.what = what;
        this.path = path;
        this.end = end;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long offset = resume == null ? 0 : resume;
            long size = channel.size();
            if (size < offset) {
                channel.close(); // its size is read before: a closed channel has none
                throw new FileConnectorException(what + ": " + path + " is shorter (" + size
                        + " bytes) than its snapshot's offset " + offset + ": was it changed since? delete the recovery data to start over");
            }
            channel.truncate(offset);
            channel.position(offset);
        } catch (IOException e) {
            throw new FileConnectorException(what + ": cannot write " + path + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void writeBatch(List<V> values) throws IOException {
        for (V v : values) {
            pending.append(v).append(end);
        }
        if (pending.length() >= 64 * 1024) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        ByteBuffer b = StandardCharsets.UTF_8.encode(pending.toString());
        pending.setLength(0);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new FileConnectorException(what + ": cannot write " + path + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void epochEnd(long epoch) throws IOException {
        flush();
    }

    @Override
    public Long snapshot() throws IOException {
        flush();
        channel.force(false);
        return channel.position();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
