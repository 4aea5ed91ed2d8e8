package io.wax.runtime.internal;

import io.wax.api.StateVersion;
import io.wax.api.codec.CodecRegistry;
import io.wax.spi.recovery.DurableStore;
import io.wax.spi.recovery.RecoveryException;
import io.wax.spi.recovery.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's view of its store that keeps every snapshot's state version with its bytes, and
 * migrates older state as it is loaded ({@link io.wax.api.Dataflow#stateVersion}). Stores and the
 * engine stay unaware: the store still gets bytes, the engine gets bytes of the current version.
 *
 * <p>A versioned value is {@code 0xFE 'V' version(varint)} followed by the engine's bytes. The
 * engine's own bytes start with a codec's type index as a varint, and {@code 0xFE 0x56} would be
 * index 11,134 or more, which no registry reaches: so a value without the prefix (written before
 * versions existed, or by the engine's own test kit) is read as version 0.
 */
final class VersionedStore implements DurableStore {
    private static final byte MAGIC0 = (byte) 0xFE;
    private static final byte MAGIC1 = 'V';

    private final DurableStore store;
    private final String flowId;
    /** Full stateful step id -> its declaration; steps absent here have version 0 and no migration. */
    private final Map<String, StateVersion> versions;
    private final CodecRegistry codecs;
    /** Whether closing this view closes the store (not for a store the runtime keeps across a swap). */
    private final boolean owns;

    VersionedStore(DurableStore store, String flowId, Map<String, StateVersion> versions, CodecRegistry codecs, boolean owns) {
        this.store = store;
        this.flowId = flowId;
        this.versions = versions;
        this.codecs = codecs;
        this.owns = owns;
    }

    /** The declaration that covers a core step: the operator's own id, or a scope it is nested in. */
    static StateVersion declared(Map<String, StateVersion> versions, String stepId) {
        for (String id = stepId; ; id = id.substring(0, id.lastIndexOf('.'))) {
            StateVersion v = versions.get(id);
            if (v != null) {
                return v;
            }
            if (id.indexOf('.') < 0) {
                return null;
            }
        }
    }

    private int version(String stepId) {
        StateVersion v = declared(versions, stepId);
        return v == null ? 0 : v.version();
    }

    @Override
    public long begin(long execution, int workerCount) {
        return store.begin(execution, workerCount);
    }

    @Override
    public long resumeEpoch() {
        return store.resumeEpoch();
    }

    @Override
    public Map<String, byte[]> load(String stepId, int workerCount, int workerIndex) {
        return current(stepId, store.load(stepId, workerCount, workerIndex));
    }

    @Override
    public Map<String, byte[]> loadAll(String stepId) {
        return current(stepId, store.loadAll(stepId));
    }

    @Override
    public void commit(int worker, long frontier, List<Snapshot> snapshots) {
        List<Snapshot> out = new ArrayList<>(snapshots.size());
        for (Snapshot s : snapshots) {
            out.add(s.state() == null ? s : new Snapshot(s.stepId(), s.key(), s.epoch(), wrap(version(s.stepId()), s.state())));
        }
        store.commit(worker, frontier, out);
    }

    @Override
    public void close() {
        if (owns) {
            store.close();
        }
    }

    /** The loaded values as bytes of the step's current version: migrated, or refused. */
    private Map<String, byte[]> current(String stepId, Map<String, byte[]> loaded) {
        StateVersion declared = declared(versions, stepId);
        int now = declared == null ? 0 : declared.version();
        Map<String, byte[]> out = new HashMap<>(loaded.size() * 2);
        for (Map.Entry<String, byte[]> e : loaded.entrySet()) {
            byte[] v = e.getValue();
            int from = versionOf(v);
            byte[] payload = payload(v);
            if (from == now) {
                out.put(e.getKey(), payload);
                continue;
            }
            if (from > now || declared == null || declared.migration() == null) {
                throw new RecoveryException(refusal(flowId, stepId, from, now));
            }
            Object migrated;
            try {
                migrated = declared.migration().migrate(from, codecs.decode(payload));
            } catch (Exception | LinkageError x) {
                throw new RecoveryException("flow '" + flowId + "': migrating the state of key '" + e.getKey() + "' of step '"
                        + stepId + "' from version " + from + " to " + now + " failed: " + x, x);
            }
            if (migrated != null) {
                out.put(e.getKey(), codecs.encode(migrated));
            }
        }
        return out;
    }

    /** The words of a refused version change, the same for a live update and a resume. */
    static String refusal(String flowId, String stepId, int from, int now) {
        return "flow '" + flowId + "': step '" + stepId + "' has state of version " + from + " but the flow's code declares version "
                + now + (from > now ? " (older than the state)" : " and no migration from it")
                + "; declare one with Dataflow.stateVersion(step, " + now + ", migration), or run the code that wrote it";
    }

    static int versionOf(byte[] v) {
        if (v.length < 3 || v[0] != MAGIC0 || v[1] != MAGIC1) {
            return 0;
        }
        int result = 0;
        for (int i = 2, shift = 0; i < v.length && shift < 32; i++, shift += 7) {
            result |= (v[i] & 0x7f) << shift;
            if ((v[i] & 0x80) == 0) {
                return result;
            }
        }
        throw new RecoveryException("a snapshot's version prefix is truncated");
    }

    private static byte[] payload(byte[] v) {
        if (v.length < 3 || v[0] != MAGIC0 || v[1] != MAGIC1) {
            return v;
        }
        int i = 2;
        while ((v[i] & 0x80) != 0) {
            i++;
        }
        return java.util.Arrays.copyOfRange(v, i + 1, v.length);
    }

    static byte[] wrap(int version, byte[] payload) {
        byte[] head = new byte[7];
        head[0] = MAGIC0;
        head[1] = MAGIC1;
        int n = 2;
        int v = version;
        while ((v & ~0x7f) != 0) {
            head[n++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        head[n++] = (byte) v;
        byte[] out = new byte[n + payload.length];
        System.arraycopy(head, 0, out, 0, n);
        System.arraycopy(payload, 0, out, n, payload.length);
        return out;
    }
}
