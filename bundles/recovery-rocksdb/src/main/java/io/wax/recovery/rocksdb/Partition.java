package io.wax.recovery.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One partition, {@code DIR/part-i}: one RocksDB instance. Owns its options objects and closes
 * them after the database (RocksDB's Java objects hold native memory the collector never frees).
 */
final class Partition implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    /**
     * Memtable size. RocksDB's default (64 MiB) holds a long run's snapshots and GC deletes in
     * memory and in the write-ahead log for hundreds of epochs: with 10,000 keys changed per epoch
     * the store reached 154 MB and each commit slowed from 31 to 82 ms by epoch 200, as writes and
     * tombstones piled up unflushed. At 4 MiB they are flushed and compacted away as they come:
     * 7.7 MB and a flat 25 to 35 ms (Bench recovery-commit).
     */
    private static final long WRITE_BUFFER_BYTES = 4L << 20;

    final Path dir;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;

    private Partition(Path dir, Options options, RocksDB db) {
        this.dir = dir;
        this.options = options;
        this.db = db;
        // No fsync per write: the write-ahead log reaches the OS before write() returns, which a
        // killed process cannot lose; a power cut may lose the last snapshots, as with Bytewax's SQLite.
        this.writeOptions = new WriteOptions();
    }

    /** Opens an existing partition; read-only opens neither lock nor write it. */
    static Partition open(Path dir, boolean readOnly) throws RocksDBException {
        Options o = new Options().setCreateIfMissing(false).setKeepLogFileNum(2).setWriteBufferSize(WRITE_BUFFER_BYTES);
        try {
            RocksDB db = readOnly ? RocksDB.openReadOnly(o, dir.toString()) : RocksDB.open(o, dir.toString());
            return new Partition(dir, o, db);
        } catch (RocksDBException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Creates a new partition, failing if one exists there. */
    static Partition create(Path dir) throws RocksDBException {
        Options o = new Options().setCreateIfMissing(true).setErrorIfExists(true).setKeepLogFileNum(2)
                .setWriteBufferSize(WRITE_BUFFER_BYTES);
        try {
            return new Partition(dir, o, RocksDB.open(o, dir.toString()));
        } catch (RocksDBException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    byte[] get(byte[] key) throws RocksDBException {
        return db.get(key);
    }

    String metaString(String name) throws RocksDBException {
        byte[] v = db.get(Keys.meta(name));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    Integer metaInt(String name) throws RocksDBException {
        byte[] v = db.get(Keys.meta(name));
        return v == null || v.length != 4 ? null : ByteBuffer.wrap(v).getInt();
    }

    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    /** An iterator that the caller must close before this partition. */
    RocksIterator iterator() {
        return db.newIterator();
    }

    @Override
    public void close() {
        db.close();
        writeOptions.close();
        options.close();
    }
}
