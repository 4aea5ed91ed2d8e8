package io.wax.connectors.file;

import io.wax.api.io.PartitionedSource;
import io.wax.api.io.SourcePartition;
import io.wax.api.io.WorkerContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a CSV file with a header row, as Bytewax's {@code CSVSource}: each row is a map from
 * the header's column names to the row's fields, in column order. Fields are separated by commas
 * and may be quoted ({@code "a, b"}, {@code "say ""hi"""}, a quoted field may span lines); blank
 * lines are skipped. Resumes at the byte offset of the next row. A row with a different number of
 * fields than the header, or an unterminated quote, fails the flow naming the file and line.
 *
 * <pre>{@code
 * flow.input("inp", new CsvSource(Path.of("sales.csv")))
 *     .map("amount", row -> Double.parseDouble(row.get("amount")));
 * }</pre>
 */
public final class CsvSource implements PartitionedSource<Map<String, String>, Long> {
    private static final String WHAT = "CSV source";
    private final Path path;
    private final int batchSize;

    public CsvSource(Path path) {
        this(path, FileSource.DEFAULT_BATCH_SIZE);
    }

    public CsvSource(Path path, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("CsvSource batchSize must be at least 1, got " + batchSize);
        }
        this.path = path.toAbsolutePath().normalize();
        this.batchSize = batchSize;
    }

    @Override
    public List<String> listParts() {
        LineReader.checkReadable(WHAT, path);
        return List.of(path.toString());
    }

    @Override
    public SourcePartition<Map<String, String>, Long> buildPart(WorkerContext ctx, String part, Long resume)
            throws IOException {
        List<String> header;
        long afterHeader;
        try (LineReader r = LineReader.open(WHAT, path, 0)) {
            header = readRecord(r);
            if (header == null) {
                throw new FileConnectorException(WHAT + ": " + path + " is empty: the first line must be the header row");
            }
            afterHeader = r.offset();
        }
        return new Part(LineReader.open(WHAT, path, resume == null ? afterHeader : resume), header);
    }

    private final class Part implements SourcePartition<Map<String, String>, Long> {
        private final LineReader reader;
        private final List<String> header;

        Part(LineReader reader, List<String> header) {
            this.reader = reader;
            this.header = header;
        }

        @Override
        public List<Map<String, String>> nextBatch() throws IOException {
            List<Map<String, String>> batch = new ArrayList<>();
            while (batch.size() < batchSize) {
                List<String> fields = readRecord(reader);
                if (fields == null) {
                    break;
                }
                if (fields.size() != header.size()) {
                    throw new FileConnectorException(WHAT + ": " + path + " line " + reader.lineNo() + ": " + fields.size()
                            + " field(s), but the header has " + header.size() + " (" + String.join(",", header) + ")"
                            + "; give each row as many fields as the header (quote a field that holds a comma)");
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), fields.get(i));
                }
                batch.add(row);
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

    /** The next non-blank record's fields, reading more lines while a quote is open; null at the end. */
    private List<String> readRecord(LineReader r) throws IOException {
        String line;
        do {
            line = r.next();
            if (line == null) {
                return null;
            }
        } while (line.isEmpty());
        long first = r.lineNo();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (true) {
            if (i == line.length()) {
                if (!quoted) {
                    break;
                }
                String more = r.next();
                if (more == null) {
                    throw new FileConnectorException(WHAT + ": " + path + " line " + first
                            + ": a quoted field is not closed before the end of the file (a \" is missing)");
                }
                field.append('\n');
                line = more;
                i = 0;
                continue;
            }
            char c = line.charAt(i++);
            if (quoted) {
                if (c == '"' && i < line.length() && line.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted) {
                throw new FileConnectorException(WHAT + ": " + path + " line " + r.lineNo() + ": '" + c
                        + "' after a closing quote; quote the whole field, and double a \" inside it");
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
