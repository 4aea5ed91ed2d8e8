package io.wax.recovery.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
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

/**
 * One store shared by the processes of a cluster: each process writes only its own partitions,
 * reads every partition when it opens, and all resume at the same epoch; state moves to its new
 * owner when the process count changes (2 -> 1 -> 2).
 */
class ClusterStoreTest {
    @TempDir
    Path tmp;

    private final RocksRecoveryStores stores = new RocksRecoveryStores();

    private static RecoveryStores.Request request(Path dir, int process, int processes) {
        return new RecoveryStores.Request(dir, "wordcount", Set.of("count"), false, 0, process, processes);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Which partitions hold a snapshot or a frontier of anything. */
    private static Set<Integer> written(Path dir, int partitions) throws Exception {
        Set<Integer> out = new java.util.TreeSet<>();
        for (int i = 0; i < partitions; i++) {
            try (Partition p = Partition.open(dir.resolve("part-" + i), true); RocksIterator it = p.iterator()) {
                for (it.seek(new byte[] {Keys.FRONTIER}); it.isValid(); it.next()) {
                    byte k = it.key()[0];
                    if (k == Keys.FRONTIER || k == Keys.SNAPSHOT) {
                        out.add(i);
                        break;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void eachProcessWritesItsOwnPartitionsAndAllResumeAtTheSameEpochWhateverTheOrder() throws Exception {
        Path dir = tmp.resolve("store");
        stores.init(dir, 4, false);
        // Run 1: two processes of two workers; process 1's worker 3 stays behind at epoch 3.
        DurableStore p0 = stores.open(request(dir, 0, 2));
        DurableStore p1 = stores.open(request(dir, 1, 2)); // both read before either writes, as the cluster orders it
        assertEquals(1, p0.begin(7, 4));
        p0.commit(0, 3, List.of(new Snapshot("count", "a", 1, b("a1")), new Snapshot("count", "a", 2, b("a2"))));
        p0.commit(1, 5, List.of(new Snapshot("count", "b", 4, b("b4"))));
        assertEquals(1, p1.begin(7, 4), "the later process resumes where the first did, though the first has written");
        p1.commit(2, 5, List.of(new Snapshot("count", "c", 3, b("c3"))));
        p1.commit(3, 3, List.of(new Snapshot("count", "d", 2, b("d2"))));
        p0.close();
        p1.close();
        assertEquals(Set.of(0, 1, 2, 3), written(dir, 4), "each worker writes a partition of its own process");
        // Run 2: the processes open in either order, and both resume at 3 with the same state.
        DurableStore q1 = stores.open(request(dir, 1, 2));
        DurableStore q0 = stores.open(request(dir, 0, 2));
        assertEquals(3, q1.begin(8, 4));
        q1.commit(2, 9, List.of(new Snapshot("count", "c", 4, b("c4"))));
        assertEquals(3, q0.begin(8, 4));
        for (DurableStore s : List.of(q0, q1)) {
            Map<String, byte[]> all = s.loadAll("count");
            assertEquals(Set.of("a", "d"), all.keySet(), "b4 and c3 lie at or past the resume epoch");
            assertArrayEquals(b("a2"), all.get("a"));
        }
        q0.close();
        q1.close();
    }

    @Test
    void stateFollowsItsKeyFromTwoProcessesToOneAndBack() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 2, false);
        Map<String, String> expected = new HashMap<>();
        // Two processes of two workers: each worker writes the keys it owns.
        List<DurableStore> two = List.of(stores.open(request(dir, 0, 2)), stores.open(request(dir, 1, 2)));
        for (DurableStore s : two) {
            s.begin(1, 4);
        }
        for (int w = 0; w < 4; w++) {
            List<Snapshot> snaps = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                if (RecoveryStore.owner("k" + k, 4) == w) {
                    snaps.add(new Snapshot("count", "k" + k, 1, b("one" + k)));
                    expected.put("k" + k, "one" + k);
                }
            }
            two.get(w / 2).commit(w, 2, snaps);
        }
        two.forEach(DurableStore::close);
        // One process of three workers: loads every key at its new owner, then changes half of them.
        try (DurableStore s = stores.open(request(dir, 0, 1))) {
            assertEquals(2, s.begin(2, 3));
            for (int w = 0; w < 3; w++) {
                Map<String, byte[]> mine = s.load("count", 3, w);
                List<Snapshot> snaps = new ArrayList<>();
                for (Map.Entry<String, byte[]> e : mine.entrySet()) {
                    assertEquals(w, RecoveryStore.owner(e.getKey(), 3));
                    assertEquals(expected.get(e.getKey()), new String(e.getValue(), StandardCharsets.UTF_8));
                    int k = Integer.parseInt(e.getKey().substring(1));
                    if (k % 2 == 0) {
                        snaps.add(new Snapshot("count", e.getKey(), 2, b("two" + k)));
                        expected.put(e.getKey(), "two" + k);
                    }
                }
                s.commit(w, 3, snaps);
            }
        }
        // Two processes of one worker again: every key, at its latest value, wherever it was written.
        List<DurableStore> back = List.of(stores.open(request(dir, 0, 2)), stores.open(request(dir, 1, 2)));
        Map<String, String> union = new HashMap<>();
        for (int p = 0; p < 2; p++) {
            assertEquals(3, back.get(p).begin(3, 2));
            back.get(p).load("count", 2, p).forEach((k, v) -> union.put(k, new String(v, StandardCharsets.UTF_8)));
        }
        back.forEach(DurableStore::close);
        assertEquals(expected, union);
    }

    @Test
    void aStoreWithFewerPartitionsThanProcessesIsRefused() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 1, false);
        RecoveryException e = assertThrows(RecoveryException.class, () -> stores.open(request(dir, 1, 2)));
        assertTrue(e.getMessage().contains("has 1 partition but the cluster has 2 processes")
                && e.getMessage().contains("recovery init NEWDIR 2"), e.getMessage());
    }

    @Test
    void twoProcessesClaimingOneIdAreRefusedWhenTheSecondBegins() {
        Path dir = tmp.resolve("store");
        stores.init(dir, 2, false);
        try (DurableStore a = stores.open(request(dir, 1, 2)); DurableStore b = stores.open(request(dir, 1, 2))) {
            a.begin(3, 2);
            RecoveryException e = assertThrows(RecoveryException.class, () -> b.begin(3, 2));
            assertTrue(e.getMessage().contains("in use") && e.getMessage().contains("must not share an id"), e.getMessage());
        }
    }
}
