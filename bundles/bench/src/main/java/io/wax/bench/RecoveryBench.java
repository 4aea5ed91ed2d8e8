package io.wax.bench;

import io.wax.recovery.rocksdb.RocksRecoveryStores;
import io.wax.spi.engine.RunOptions;
import io.wax.spi.monitor.RunEvents;
import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryStores;
import io.wax.spi.recovery.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Recovery's cost: W2 with a RocksDB store and 1 s snapshots beside W2 without recovery (both with
 * 1 s epochs, so that only the store differs; their runs alternate), and the time to resume a store
 * of N keys.
 */
final class RecoveryBench {
    private static final RocksRecoveryStores STORES = new RocksRecoveryStores();

    private RecoveryBench() {
    }

    static void w2(long n) {
        long expect = Bench.w2Loop(n, new HashMap<>());
        // Both with the same events sink, so that only the store differs.
        RunOptions epochs = RunOptions.defaults().withEpochInterval(Duration.ofSeconds(1)).withEvents(COUNTS);
        for (int workers : new int[] {1, 2}) {
            COMMITS.reset();
            KEYS.reset();
            NANOS.reset();
            Bench.measureAlternating(new String[] {"RESULT wax-1s-epochs", "RESULT wax-recovery-1s"}, "w2-p" + workers, n,
                    () -> Bench.w2Flow(n, expect, 1, workers, epochs),
                    () -> {
                        Path dir = tempStore();
                        try (DurableStore store = STORES.open(request(dir, "w2"))) {
                            return Bench.w2Flow(n, expect, 1, workers,
                                    epochs.withRecovery(store).withSnapshotInterval(Duration.ofSeconds(1)));
                        } finally {
                            delete(dir);
                        }
                    });
            System.out.printf("# store commits w2-p%d: %.1f per run, %.0f snapshots per run, %.1f ms per run in commit (sum over workers)%n",
                    workers, COMMITS.sum() / (double) Bench.totalRuns(), KEYS.sum() / (double) Bench.totalRuns(),
                    NANOS.sum() / 1e6 / Bench.totalRuns());
        }
    }

    private static final LongAdder COMMITS = new LongAdder();
    private static final LongAdder KEYS = new LongAdder();
    private static final LongAdder NANOS = new LongAdder();
    /** Counts the workers' commits to the store, to show what share of a run they take. */
    private static final RunEvents COUNTS = new RunEvents() {
        @Override
        public void snapshotWritten(String flow, int worker, long frontier, int snapshots, long bytes, long startMillis,
                                    long nanos) {
            COMMITS.increment();
            KEYS.add(snapshots);
            NANOS.add(nanos);
        }
    };

    /**
     * A long run's store commits: W2's 10,000 words changed in every epoch, committed by one
     * worker with no backup window (GC then deletes each key's previous snapshot at every commit),
     * for {@code epochs} epochs. Prints the median commit time of the first and of the last 20
     * epochs: a store whose commits slow down as deletes pile up shows it here, not in w2-recovery,
     * whose runs are each a few epochs on a fresh store.
     */
    static void commits(int epochs) {
        Path dir = tempStore();
        double[] ms = new double[epochs];
        long size;
        try {
            try (DurableStore store = STORES.open(request(dir, "w2"))) {
                store.begin(1, 1);
                for (int e = 1; e <= epochs; e++) {
                    List<Snapshot> batch = new ArrayList<>(Data.WORDS.length);
                    for (String w : Data.WORDS) {
                        batch.add(new Snapshot("w2.count", w, e, ByteBuffer.allocate(8).putLong(e).array()));
                    }
                    long t0 = System.nanoTime();
                    store.commit(0, e + 1, batch);
                    ms[e - 1] = (System.nanoTime() - t0) / 1e6;
                }
            }
            size = sizeOf(dir);
        } finally {
            delete(dir);
        }
        int k = Math.min(20, epochs);
        System.out.printf("RESULT recovery-commit keys=%d epochs=%d median_ms_first_%d=%.1f median_ms_last_%d=%.1f size_on_disk_mb=%.1f%n",
                Data.WORDS.length, epochs, k, median(Arrays.copyOfRange(ms, 0, k)), k,
                median(Arrays.copyOfRange(ms, epochs - k, epochs)), size / 1e6);
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Writes {@code keys} keys of 16-byte state in batches of 10,000, then times a resume that loads them all. */
    static void resume(long keys) {
        Path dir = tempStore();
        try {
            try (DurableStore store = STORES.open(request(dir, "resume"))) {
                store.begin(1, 1);
                List<Snapshot> batch = new ArrayList<>();
                for (long k = 0; k < keys; k++) {
                    batch.add(new Snapshot("resume.count", "key-" + k, 1, ByteBuffer.allocate(16).putLong(k).putLong(-k).array()));
                    if (batch.size() == 10_000) {
                        store.commit(0, 1, batch);
                        batch = new ArrayList<>();
                    }
                }
                store.commit(0, 2, batch);
            }
            long t0 = System.nanoTime();
            int loaded;
            try (DurableStore store = STORES.open(request(dir, "resume"))) {
                store.begin(2, 1);
                loaded = store.load("resume.count", 1, 0).size();
            }
            long t1 = System.nanoTime();
            if (loaded != keys) {
                throw new AssertionError("loaded " + loaded + " of " + keys + " keys");
            }
            System.out.printf("RESULT recovery-resume keys=%d open+begin+load %.0f ms, size on disk %.1f MB (4 partitions)%n",
                    keys, (t1 - t0) / 1e6, sizeOf(dir) / 1e6);
        } finally {
            delete(dir);
        }
    }

    private static RecoveryStores.Request request(Path dir, String flow) {
        return new RecoveryStores.Request(dir, flow, Set.of(flow + ".count"), false, 0);
    }

    private static Path tempStore() {
        try {
            Path dir = Files.createTempDirectory("wax-bench-recovery").resolve("store");
            STORES.init(dir, 4, false);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir.getParent())) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }
}
