package io.wax.recovery.rocksdb;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The executions table and the resume epoch (Bytewax's model). Each process writes the execution
 * row to the partitions it writes, before any data flows; a worker's frontier goes to the one
 * partition it writes, in the same batch as its snapshots, so a stored frontier always comes with
 * every snapshot before it.
 */
final class Executions {
    /** One run of a flow on the store: written before any data flows (Bytewax #181). */
    record Row(long seq, long generation, int workers, long resumeEpoch) {
        byte[] value() {
            return ByteBuffer.allocate(20).putLong(generation).putInt(workers).putLong(resumeEpoch).array();
        }

        static Row of(long seq, byte[] v) {
            ByteBuffer b = ByteBuffer.wrap(v);
            return new Row(seq, b.getLong(), b.getInt(), b.getLong());
        }
    }

    private Executions() {
    }

    /** Every execution any partition knows of, by sequence number. */
    static TreeMap<Long, Row> all(List<Partition> parts) throws RocksDBException {
        TreeMap<Long, Row> rows = new TreeMap<>();
        byte[] prefix = {Keys.EXECUTION};
        for (Partition p : parts) {
            try (RocksIterator it = p.iterator()) {
                for (it.seek(prefix); it.isValid() && it.key()[0] == Keys.EXECUTION; it.next()) {
                    long seq = ByteBuffer.wrap(it.key(), 1, 8).getLong();
                    rows.putIfAbsent(seq, Row.of(seq, it.value()));
                }
            }
        }
        return rows;
    }

    /**
     * Where the next execution resumes: the minimum over the last execution's workers of their
     * highest frontier, a worker that never committed counting at that execution's resume epoch;
     * 1 for a store that never ran.
     */
    static long resumeEpoch(List<Partition> parts, Row last) throws RocksDBException {
        if (last == null) {
            return 1;
        }
        long resume = Long.MAX_VALUE;
        for (int w = 0; w < last.workers(); w++) {
            long f = Long.MAX_VALUE; // one partition holds it, or none when the worker never committed
            for (Partition p : parts) {
                byte[] v = p.get(Keys.frontier(last.seq(), w));
                if (v != null) {
                    f = Math.min(f, ByteBuffer.wrap(v).getLong());
                }
            }
            resume = Math.min(resume, f == Long.MAX_VALUE ? last.resumeEpoch() : f);
        }
        return Math.max(last.resumeEpoch(), resume == Long.MAX_VALUE ? last.resumeEpoch() : resume);
    }
}
