package io.wax.api.io;

/**
 * The hash that routes keys to workers and partitions. It must give the same answer in every JVM,
 * version and process of a cluster, and after a restart with recovery: so it is built on
 * {@link String#hashCode()}, whose formula is fixed by the Java specification, spread by the
 * MurmurHash3 finaliser so that similar keys do not land on neighbouring workers.
 */
public final class StableHash {
    private StableHash() {
    }

    public static int of(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The worker, of {@code workerCount}, that owns {@code key}. */
    public static int owner(String key, int workerCount) {
        return Math.floorMod(of(key), workerCount);
    }
}
