package io.wax.recovery.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a partition's rows. One key space, split by a leading table byte; numbers are
 * big-endian so that RocksDB's byte order is their numeric order (epochs and sequence numbers are
 * never negative). A snapshot's key is length-prefixed (step, key) then the epoch, so one key's
 * snapshots are adjacent, oldest first, and one step's keys share a prefix.
 */
final class Keys {
    static final byte META = 'M';
    static final byte EXECUTION = 'E';
    static final byte FRONTIER = 'F';
    static final byte COMMIT = 'C';
    static final byte SNAPSHOT = 'S';

    static final String META_PARTITIONS = "partitions";
    static final String META_INDEX = "index";
    static final String META_FLOW = "flow";
    static final String META_STEPS = "steps";

    private Keys() {
    }

    static byte[] meta(String name) {
        byte[] n = utf8(name);
        return ByteBuffer.allocate(1 + n.length).put(META).put(n).array();
    }

    static byte[] execution(long seq) {
        return ByteBuffer.allocate(9).put(EXECUTION).putLong(seq).array();
    }

    static byte[] frontier(long seq, int worker) {
        return ByteBuffer.allocate(13).put(FRONTIER).putLong(seq).putInt(worker).array();
    }

    static byte[] commit() {
        return new byte[] {COMMIT};
    }

    /** The prefix of every snapshot of a step. */
    static byte[] step(String stepId) {
        byte[] s = utf8(stepId);
        return ByteBuffer.allocate(5 + s.length).put(SNAPSHOT).putInt(s.length).put(s).array();
    }

    /** The prefix of every snapshot of one key of a step. */
    static byte[] stepKey(String stepId, String key) {
        byte[] s = utf8(stepId);
        byte[] k = utf8(key);
        return ByteBuffer.allocate(9 + s.length + k.length).put(SNAPSHOT).putInt(s.length).put(s).putInt(k.length).put(k).array();
    }

    static byte[] snapshot(byte[] stepKeyPrefix, long epoch) {
        return ByteBuffer.allocate(stepKeyPrefix.length + 8).put(stepKeyPrefix).putLong(epoch).array();
    }

    /** A snapshot key's epoch: its last eight bytes. */
    static long epochOf(byte[] snapshotKey) {
        return ByteBuffer.wrap(snapshotKey, snapshotKey.length - 8, 8).getLong();
    }

    /** A snapshot key without its epoch. */
    static byte[] prefixOf(byte[] snapshotKey) {
        return java.util.Arrays.copyOf(snapshotKey, snapshotKey.length - 8);
    }

    /** The state key of a snapshot key whose step prefix is {@code stepPrefixLength} bytes long. */
    static String keyOf(byte[] snapshotKey, int stepPrefixLength) {
        ByteBuffer b = ByteBuffer.wrap(snapshotKey);
        int len = b.getInt(stepPrefixLength);
        return new String(snapshotKey, stepPrefixLength + 4, len, StandardCharsets.UTF_8);
    }

    /** The step id of a snapshot key. */
    static String stepOf(byte[] snapshotKey) {
        int len = ByteBuffer.wrap(snapshotKey).getInt(1);
        return new String(snapshotKey, 5, len, StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        return java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }
}
