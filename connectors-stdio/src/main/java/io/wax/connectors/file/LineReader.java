package io.wax.connectors.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads UTF-8 lines of a file from a byte offset, keeping the offset and number of the next line,
 * so that a snapshot is exact and errors can name the line. Lines lose their {@code \n} (and a
 * {@code \r} before it); a last line without one is still a line.
 */
final class LineReader implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private byte[] line = new byte[256];
    private long offset;
    private long lineNo;

    /** Opens {@code path} at {@code offset}, the start of line {@code lineNo} (counted from 1). */
    private LineReader(Path path, long offset, long lineNo) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.offset = offset;
        this.lineNo = lineNo;
        try {
            channel.position(offset);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        buf.flip();
    }

    /**
     * Opens {@code path} at {@code offset}. The line number is found by counting the lines before
     * the offset: a snapshot keeps only the offset, as Bytewax's does.
     */
    static LineReader open(String what, Path path, long offset) {
        checkReadable(what, path);
        try {
            long lines = 1;
            if (offset > 0) {
                long size = Files.size(path);
                if (offset > size) {
                    throw new FileConnectorException(what + ": " + path + " is shorter (" + size + " bytes) than its "
                            + "snapshot's offset " + offset + ": was it changed since? delete the recovery data to start over");
                }
                try (LineReader counter = new LineReader(path, 0, 1)) {
                    while (counter.offset < offset && counter.next() != null) {
                        lines++;
                    }
                }
            }
            return new LineReader(path, offset, lines);
        } catch (IOException e) {
            throw cannotRead(what, path, e);
        }
    }

    /**
     * A clear error for a file that is missing, a directory, not a regular file, or unreadable. A
     * pipe, device or socket is refused before it is opened: opening a pipe with no writer would
     * block the run for good, and none of them can be resumed at a byte offset.
     */
    static void checkReadable(String what, Path path) {
        if (!Files.exists(path)) {
            throw new FileConnectorException(what + ": no file " + path + "; give the path of an existing file");
        }
        if (Files.isDirectory(path)) {
            throw new FileConnectorException(what + ": " + path + " is a directory, not a file");
        }
        if (!Files.isRegularFile(path)) {
            throw new FileConnectorException(what + ": " + path + " is not a regular file (a pipe, a device or a socket),"
                    + " which cannot be resumed at a byte offset; give a regular file (StdInSource reads a pipe)");
        }
        if (!Files.isReadable(path)) {
            throw new FileConnectorException(what + ": cannot read " + path + " (permission denied); make it readable");
        }
    }

    static FileConnectorException cannotRead(String what, Path path, IOException e) {
        String advice = e instanceof AccessDeniedException ? "; make it readable" : "";
        return new FileConnectorException(what + ": cannot read " + path + " (" + reason(e) + ")" + advice, e);
    }

    /** Why a file operation failed, in words: an {@link AccessDeniedException}'s message is only the path. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** The next line, or {@code null} at the end of the file. */
    String next() throws IOException {
        int n = 0;
        boolean any = false;
        while (true) {
            if (!buf.hasRemaining()) {
                buf.clear();
                int r = channel.read(buf);
                buf.flip();
                if (r <= 0) {
                    break;
                }
            }
            any = true;
            byte b = buf.get();
            offset++;
            if (b == '\n') {
                lineNo++;
                return decode(n);
            }
            if (n == line.length) {
                line = Arrays.copyOf(line, n * 2);
            }
            line[n++] = b;
        }
        if (!any) {
            return null;
        }
        lineNo++;
        return decode(n);
    }

    private String decode(int n) {
        int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    /** The byte offset of the next line: a snapshot. */
    long offset() {
        return offset;
    }

    /** The number of the line {@link #next} returned last (counted from 1). */
    long lineNo() {
        return lineNo - 1;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
