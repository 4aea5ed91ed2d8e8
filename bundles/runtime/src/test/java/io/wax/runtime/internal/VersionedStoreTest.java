package io.wax.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.StateVersion;
import io.wax.api.codec.CodecRegistry;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** State versions around a store's bytes, and the runtime's memory store across "swaps" (executions). */
class VersionedStoreTest {
    private static final String STEP = "f.count.stateful_batch";
    private final CodecRegistry codecs = CodecRegistry.builtIn();

    private VersionedStore view(MemoryStore store, Map<String, StateVersion> versions) {
        return new VersionedStore(store, "f", versions, codecs, false);
    }

    /** Writes key k = 41L at epoch 3 with {@code versions}, as a run stopped after epoch 3 would. */
    private MemoryStore written(Map<String, StateVersion> versions) {
        MemoryStore store = new MemoryStore();
        VersionedStore v = view(store, versions);
        v.begin(1, 1);
        v.commit(0, 4, List.of(new Snapshot(STEP, "k", 3, codecs.encode(41L))));
        return store;
    }

    @Test
    void theSameVersionReadsBackTheEngineBytesAndResumesAfterTheStop() {
        MemoryStore store = written(Map.of());
        VersionedStore v = view(store, Map.of());
        assertEquals(4, v.begin(2, 1));
        assertArrayEquals(codecs.encode(41L), v.load(STEP, 1, 0).get("k"));
        assertEquals(0, VersionedStore.versionOf(store.loadAll(STEP).get("k")));
    }

    @Test
    void olderStateIsMigrated() {
        MemoryStore store = written(Map.of());
        VersionedStore v = view(store, Map.of("f.count", new StateVersion("count", 2, (from, old) -> from + ":" + old)));
        v.begin(2, 1);
        assertEquals("0:41", codecs.decode(v.loadAll(STEP).get("k")));
    }

    @Test
    void aVersionChangeWithoutMigrationAndADowngradeAreRefused() {
        MemoryStore store = written(Map.of("f.count", new StateVersion("count", 3, null)));
        VersionedStore none = view(store, Map.of("f.count", new StateVersion("count", 4, null)));
        none.begin(2, 1);
        assertEquals(3, VersionedStore.versionOf(store.loadAll(STEP).get("k")));
        RecoveryException e = assertThrows(RecoveryException.class, () -> none.loadAll(STEP));
        assertTrue(e.getMessage().contains("has state of version 3 but the flow's code declares version 4 and no migration from it"),
                e.getMessage());
        VersionedStore older = view(store, Map.of("f.count", new StateVersion("count", 2, (from, old) -> old)));
        assertThrows(RecoveryException.class, () -> older.loadAll(STEP));
    }

    @Test
    void theMemoryStoreKeepsOnlyWhatAResumeNeeds() {
        MemoryStore store = written(Map.of());
        VersionedStore v = view(store, Map.of());
        v.begin(2, 1);
        v.commit(0, 9, List.of(new Snapshot(STEP, "k", 8, codecs.encode(50L)), new Snapshot(STEP, "gone", 8, null)));
        assertEquals(9, v.begin(3, 1));
        assertEquals(Map.of("k", 50L), Map.of("k", codecs.decode(v.loadAll(STEP).get("k"))));
        assertEquals(1, store.loadAll(STEP).size());
    }
}
