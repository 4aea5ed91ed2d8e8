package io.wax.recovery.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.RecoveryStores;
import io.wax.spi.recovery.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/**
 * Every way a store can be refused: each error names what is wrong and what to do, and the store
 * is left as it was (its rows, read back, and its partition directories are unchanged).
 */
class RecoveryErrorsTest {
    @TempDir
    Path tmp;
    private final RocksRecoveryStores stores = new RocksRecoveryStores();
    private Path dir;

    @BeforeEach
    void aStoreThatRanOnce() {
        dir = tmp.resolve("store");
        stores.init(dir, 3, false);
        try (DurableStore s = stores.open(request("wordcount", Set.of("count", "inp"), false))) {
            s.begin(1, 1);
            s.commit(0, 2, List.of(new Snapshot("count", "a", 1, "1".getBytes(StandardCharsets.UTF_8))));
        }
    }

    private RecoveryStores.Request request(String flow, Set<String> steps, boolean allowNew) {
        return new RecoveryStores.Request(dir, flow, steps, allowNew, 0);
    }

    /** Every row of every partition that opens, and the names of the directory's entries. */
    private String contents() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(n -> b.append(n).append('\n'));
        }
        for (int i = 0; i < 8; i++) {
            Path part = dir.resolve("part-" + i);
            if (!Files.isDirectory(part)) {
                continue;
            }
            try (Partition p = Partition.open(part, true); RocksIterator it = p.iterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    b.append(i).append(':').append(java.util.HexFormat.of().formatHex(it.key())).append('=')
                            .append(java.util.HexFormat.of().formatHex(it.value())).append('\n');
                }
            } catch (Exception e) {
                b.append(i).append(": unreadable\n");
            }
        }
        return b.toString();
    }

    private String refused(RecoveryStores.Request r) throws Exception {
        String before = contents();
        RecoveryException e = assertThrows(RecoveryException.class, () -> stores.open(r).close());
        assertEquals(before, contents(), "the store changed");
        assertTrue(!e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void noPartitions() throws Exception {
        dir = tmp.resolve("empty");
        Files.createDirectories(dir);
        String m = refused(request("wordcount", Set.of(), false));
        assertTrue(m.contains("no recovery partitions in") && m.contains("bin/wax recovery init"), m);
    }

    @Test
    void noDirectory() {
        dir = tmp.resolve("nowhere");
        RecoveryException e = assertThrows(RecoveryException.class, () -> stores.open(request("wordcount", Set.of(), false)));
        assertTrue(e.getMessage().contains("no recovery store at") && e.getMessage().contains("recovery init"), e.getMessage());
    }

    @Test
    void aMissingPartition() throws Exception {
        move("part-1", tmp.resolve("aside"));
        String m = refused(request("wordcount", Set.of("count", "inp"), false));
        assertTrue(m.contains("has 3 partitions but part-1 is missing") && m.contains("backup"), m);
    }

    @Test
    void anExtraPartition() throws Exception {
        Path other = tmp.resolve("other");
        stores.init(other, 4, false);
        move(other.resolve("part-3"), dir.resolve("part-3"));
        String m = refused(request("wordcount", Set.of("count", "inp"), false));
        assertTrue(m.contains("disagree on their count") && m.contains("part-3 says 4"), m);
    }

    @Test
    void anExtraPartitionOfTheSameCount() throws Exception {
        // the same count, so only its index gives it away
        Path other = tmp.resolve("other");
        stores.init(other, 3, false);
        move(other.resolve("part-2"), dir.resolve("part-5"));
        String m = refused(request("wordcount", Set.of("count", "inp"), false));
        assertTrue(m.contains("part-5") && m.contains("renamed"), m);
    }

    @Test
    void partitionsThatDisagreeOnTheirCount() throws Exception {
        Path other = tmp.resolve("other");
        stores.init(other, 2, false);
        deleteTree(dir.resolve("part-1"));
        move(other.resolve("part-1"), dir.resolve("part-1"));
        String m = refused(request("wordcount", Set.of("count", "inp"), false));
        assertTrue(m.contains("disagree on their count") && m.contains("part-1 says 2") && m.contains("part-0 says 3"), m);
    }

    @Test
    void aCorruptPartition() throws Exception {
        Path current = dir.resolve("part-2").resolve("CURRENT");
        Files.writeString(current, "MANIFEST-999999\n");
        String m = refused(request("wordcount", Set.of("count", "inp"), false));
        assertTrue(m.contains("part-2 is corrupt") && m.contains("backup"), m);
    }

    @Test
    void anUnwritableDirectory() throws Exception {
        Path part = dir.resolve("part-0");
        // root ignores permission bits; an immutable directory refuses even root
        Process chattr = new ProcessBuilder("chattr", "+i", part.toString()).redirectErrorStream(true).start();
        String out = new String(chattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (chattr.waitFor() != 0) {
            part.toFile().setWritable(false, false); // enough for anyone but root
            assertTrue(!Files.isWritable(part), "cannot make a directory unwritable here (chattr: " + out.strip() + ")");
        }
        try {
            String m = refused(request("wordcount", Set.of("count", "inp"), false));
            assertTrue(m.contains("is not writable") && m.contains("-r"), m);
        } finally {
            new ProcessBuilder("chattr", "-i", part.toString()).start().waitFor();
            part.toFile().setWritable(true, false);
        }
    }

    @Test
    void aStoreOfAnotherFlow() throws Exception {
        String m = refused(request("sessions", Set.of("count", "inp"), false));
        assertTrue(m.contains("made by flow 'wordcount', not 'sessions'"), m);
    }

    @Test
    void aRemovedOrRenamedStatefulStep() throws Exception {
        String m = refused(request("wordcount", Set.of("count_v2", "inp"), true));
        assertTrue(m.contains("no longer has the stateful step count ") && m.contains("new ones: count_v2"), m);
    }

    @Test
    void aNewStatefulStepNeedsAllowNewSteps() throws Exception {
        String m = refused(request("wordcount", Set.of("count", "inp", "sum"), false));
        assertTrue(m.contains("stateful step sum") && m.contains("--allow-new-steps"), m);
        try (DurableStore s = stores.open(request("wordcount", Set.of("count", "inp", "sum"), true))) {
            assertEquals(2, s.begin(2, 1));
        }
    }

    @Test
    void initRefusesAStoreAndANonEmptyDirectoryAndWantsForceForAnEmptyOne() throws Exception {
        String before = contents();
        RecoveryException e = assertThrows(RecoveryException.class, () -> stores.init(dir, 3, true));
        assertTrue(e.getMessage().contains("already holds a recovery store"), e.getMessage());
        assertEquals(before, contents());
        Path empty = Files.createDirectories(tmp.resolve("fresh"));
        e = assertThrows(RecoveryException.class, () -> stores.init(empty, 2, false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        stores.init(empty, 2, true);
        assertTrue(stores.info(empty).contains("partitions: 2"));
        Path notEmpty = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(notEmpty.resolve("notes.txt"), "x");
        e = assertThrows(RecoveryException.class, () -> stores.init(notEmpty, 2, true));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        e = assertThrows(RecoveryException.class, () -> stores.init(tmp.resolve("zero"), 0, false));
        assertTrue(e.getMessage().contains("1 to 1024 partitions"), e.getMessage());
    }

    @Test
    void aStoreInUseByAnotherRunIsRefusedAndTheFirstRunGoesOn() throws Exception {
        try (DurableStore first = stores.open(request("wordcount", Set.of("count", "inp"), false))) {
            first.begin(5, 1);
            RecoveryException e = assertThrows(RecoveryException.class,
                    () -> stores.open(request("wordcount", Set.of("count", "inp"), false)));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            first.commit(0, 3, List.of());
        }
    }

    private void move(String name, Path to) throws IOException {
        move(dir.resolve(name), to);
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to);
    }

    private static void deleteTree(Path p) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(p)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }
}
