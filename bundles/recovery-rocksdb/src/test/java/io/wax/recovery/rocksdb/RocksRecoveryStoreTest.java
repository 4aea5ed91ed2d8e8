package io.wax.recovery.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryStore;
import io.wax.spi.recovery.RecoveryStores;
import io.wax.spi.recovery.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/** The store on real RocksDB partitions: resume epochs, loading, rescaling, GC, info. */
class RocksRecoveryStoreTest {
    @TempDir
    Path tmp;

    private final RocksRecoveryStores stores = new RocksRecoveryStores();

    private RecoveryStores.Request request(Path dir, long backupEpochs) {
        return new RecoveryStores.Request(dir, "wordcount", Set.of("count", "inp"), false, backupEpochs);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyStoreStartsAtEpochOneAndAResumeLoadsTheLatestSnapshotBeforeTheLowestFrontier() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 3, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(1, s.begin(11, 2));
            s.commit(0, 2, List.of(new Snapshot("count", "a", 1, b("a1")), new Snapshot("count", "b", 1, b("b1"))));
            s.commit(1, 2, List.of(new Snapshot("count", "c", 1, b("c1"))));
            s.commit(0, 3, List.of(new Snapshot("count", "a", 2, b("a2")), new Snapshot("count", "b", 2, null)));
            // worker 1 never closed epoch 2: its snapshot of c at 2 is written but the resume is at 2
            s.commit(0, 4, List.of(new Snapshot("count", "a", 3, b("a3"))));
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(2, s.begin(12, 2));
            Map<String, byte[]> all = s.loadAll("count");
            assertEquals(Set.of("a", "b", "c"), all.keySet());
            assertArrayEquals(b("a1"), all.get("a"));
            assertArrayEquals(b("b1"), all.get("b"));
        }
    }

    @Test
    void theResumedStateLeavesMemoryOnceEveryLocalWorkerHasPassedTheResumeEpoch() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 2, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 2);
            s.commit(0, 2, List.of(new Snapshot("count", "a", 1, b("a1")), new Snapshot("count", "b", 1, b("b1"))));
            s.commit(1, 2, List.of(new Snapshot("count", "c", 1, b("c1"))));
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            RocksRecoveryStore store = (RocksRecoveryStore) s;
            assertEquals(2, s.begin(2, 2));
            assertEquals(3, store.heldResumedKeys());
            assertEquals(Set.of("a", "b", "c"), s.loadAll("count").keySet());
            s.commit(0, 3, List.of());
            // worker 1 has not closed the resume epoch yet: it may still be loading
            assertEquals(3, store.heldResumedKeys());
            s.commit(1, 3, List.of());
            assertEquals(0, store.heldResumedKeys());
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> s.load("count", 2, 0));
            assertTrue(late.getMessage().contains("resume epoch 2"), late.getMessage());
            // a new execution of the same store (a swap inside the process) reads its state again
            assertEquals(3, s.begin(3, 1));
            assertEquals(Set.of("a", "b", "c"), s.load("count", 1, 0).keySet());
        }
    }

    @Test
    void aWorkerThatNeverCommittedHoldsTheResumeAtItsExecutionsResumeEpoch() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 2, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 2);
            s.commit(0, 5, List.of());
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(1, s.begin(2, 3));
            s.commit(0, 6, List.of());
            s.commit(1, 6, List.of());
            s.commit(2, 7, List.of());
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(6, s.begin(3, 1));
        }
    }

    @Test
    void snapshotsAnAbandonedRunWrotePastTheResumeEpochAreNotLoadedLater() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 1, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 2);
            s.commit(0, 2, List.of(new Snapshot("count", "x", 1, b("x1"))));
            s.commit(1, 2, List.of());
            s.commit(0, 3, List.of(new Snapshot("count", "y", 2, b("y2")))); // worker 1 stays at 2
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(2, s.begin(2, 1));
            s.commit(0, 5, List.of()); // the replay did not touch y this time
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(5, s.begin(3, 1));
            assertEquals(Set.of("x"), s.loadAll("count").keySet());
        }
    }

    @Test
    void stateGoesToTheWorkerThatOwnsItsKeyAtAnyWorkerCount() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 4, false);
        List<Snapshot> snaps = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            snaps.add(new Snapshot("count", "k" + k, 1, b("v" + k)));
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 1);
            s.commit(0, 2, snaps);
        }
        for (int workers : new int[] {1, 2, 3, 5}) {
            try (DurableStore s = stores.open(request(dir, 0))) {
                s.begin(100 + workers, workers);
                Map<String, byte[]> union = new HashMap<>();
                for (int w = 0; w < workers; w++) {
                    Map<String, byte[]> mine = s.load("count", workers, w);
                    for (String key : mine.keySet()) {
                        assertEquals(w, RecoveryStore.owner(key, workers));
                    }
                    union.putAll(mine);
                }
                assertEquals(200, union.size());
                assertArrayEquals(b("v7"), union.get("k7"));
                s.commit(0, 2, List.of()); // keeps the resume epoch where it is for the next round
                for (int w = 1; w < workers; w++) {
                    s.commit(w, 2, List.of());
                }
            }
        }
    }

    @Test
    void gcKeepsTheBackupWindowAndOneOlderSnapshotPerKeyOverAThousandEpochs() throws Exception {
        Path dir = tmp.resolve("store");
        stores.init(dir, 2, false);
        long backup = 3;
        try (DurableStore s = stores.open(request(dir, backup))) {
            s.begin(1, 2);
            for (long epoch = 1; epoch <= 1000; epoch++) {
                for (int w = 0; w < 2; w++) {
                    List<Snapshot> snaps = new ArrayList<>();
                    for (int k = w; k < 100; k += 2) {
                        snaps.add(new Snapshot("count", "key" + k, epoch, b("e" + epoch)));
                    }
                    s.commit(w, epoch + 1, snaps);
                }
            }
        }
        Map<String, Integer> perKey = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            try (Partition p = Partition.open(dir.resolve("part-" + i), true); RocksIterator it = p.iterator()) {
                for (it.seek(new byte[] {Keys.SNAPSHOT}); it.isValid() && it.key()[0] == Keys.SNAPSHOT; it.next()) {
                    perKey.merge(Keys.stepOf(it.key()) + "/" + Keys.keyOf(it.key(), Keys.step("count").length), 1, Integer::sum);
                }
            }
        }
        assertEquals(100, perKey.size());
        // frontier 1001, horizon 998: epochs 998..1000 kept, plus the one before (997)
        for (Map.Entry<String, Integer> e : perKey.entrySet()) {
            assertTrue(e.getValue() <= backup + 1, e.getKey() + " keeps " + e.getValue() + " snapshots");
        }
        try (DurableStore s = stores.open(request(dir, backup))) {
            assertEquals(1001, s.begin(2, 2));
            assertArrayEquals(b("e1000"), s.loadAll("count").get("key42"));
        }
    }

    /**
     * GC deletes from the epochs it remembers per key without reading them; a key it forgot (idle
     * for two collections) or never listed (stored before a restart) must still lose its older
     * snapshots once it is written again.
     */
    @Test
    void gcDropsOlderSnapshotsOfKeysItForgotOrThatAnEarlierExecutionWrote() throws Exception {
        Path dir = tmp.resolve("store");
        stores.init(dir, 1, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 1);
            s.commit(0, 2, List.of(new Snapshot("count", "idle", 1, b("i1")), new Snapshot("count", "busy", 1, b("b1"))));
            s.commit(0, 3, List.of(new Snapshot("count", "busy", 2, b("b2"))));
            s.commit(0, 4, List.of(new Snapshot("count", "busy", 3, b("b3"))));
            s.commit(0, 5, List.of(new Snapshot("count", "busy", 4, b("b4")), new Snapshot("count", "idle", 4, b("i4"))));
            s.commit(0, 6, List.of(new Snapshot("count", "busy", 5, b("b5"))));
        }
        assertEquals(Map.of("count/idle", 1, "count/busy", 1), snapshotsPerKey(dir, 1));
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(6, s.begin(2, 1));
            s.commit(0, 7, List.of(new Snapshot("count", "busy", 6, b("b6"))));
            s.commit(0, 8, List.of(new Snapshot("count", "busy", 7, b("b7")), new Snapshot("count", "idle", 7, b("i7"))));
        }
        assertEquals(Map.of("count/idle", 1, "count/busy", 1), snapshotsPerKey(dir, 1));
        try (DurableStore s = stores.open(request(dir, 0))) {
            assertEquals(8, s.begin(3, 1));
            assertArrayEquals(b("b7"), s.loadAll("count").get("busy"));
            assertArrayEquals(b("i7"), s.loadAll("count").get("idle"));
        }
    }

    /** "step/key" -> how many snapshots the store holds for it. */
    private static Map<String, Integer> snapshotsPerKey(Path dir, int partitions) throws Exception {
        Map<String, Integer> perKey = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            try (Partition p = Partition.open(dir.resolve("part-" + i), true); RocksIterator it = p.iterator()) {
                for (it.seek(new byte[] {Keys.SNAPSHOT}); it.isValid() && it.key()[0] == Keys.SNAPSHOT; it.next()) {
                    perKey.merge(Keys.stepOf(it.key()) + "/" + Keys.keyOf(it.key(), Keys.step("count").length), 1, Integer::sum);
                }
            }
        }
        return perKey;
    }

    @Test
    void aDiscardedKeyIsNotLoaded() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 1, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 1);
            s.commit(0, 2, List.of(new Snapshot("count", "gone", 1, b("x"))));
            s.commit(0, 3, List.of(new Snapshot("count", "gone", 2, null)));
        }
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(2, 1);
            assertNull(s.loadAll("count").get("gone"));
        }
    }

    @Test
    void infoNamesPartitionsExecutionsResumeEpochWorkersAndSize() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 2, false);
        try (DurableStore s = stores.open(request(dir, 0))) {
            s.begin(1, 3);
            for (int w = 0; w < 3; w++) {
                s.commit(w, 8, List.of(new Snapshot("count", "k" + w, 7, b("v"))));
            }
        }
        String info = stores.info(dir);
        assertTrue(info.contains("partitions: 2"), info);
        assertTrue(info.contains("executions: 1"), info);
        assertTrue(info.contains("worker count: 3"), info);
        assertTrue(info.contains("resume epoch: 8"), info);
        assertTrue(info.contains("flow: wordcount"), info);
        assertTrue(info.matches("(?s).*size on disk: [1-9][0-9]* bytes.*"), info);
        assertFalse(info.contains("null"), info);
    }
}
