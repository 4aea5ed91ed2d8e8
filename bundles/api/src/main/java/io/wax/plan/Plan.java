package io.wax.plan;

import io.wax.api.codec.CodecRegistry;
import java.util.List;

/**
 * A flow as data: its core steps in an order where every stream is written before it is read,
 * the derived operators they came from, and the codecs of the items and state it moves and keeps.
 */
public record Plan(String flowId, List<Step> steps, List<Scope> scopes, CodecRegistry codecs) {
    public Plan {
        steps = List.copyOf(steps);
        scopes = List.copyOf(scopes);
        if (codecs == null) {
            codecs = CodecRegistry.builtIn();
        }
    }

    public Plan(String flowId, List<Step> steps, List<Scope> scopes) {
        this(flowId, steps, scopes, null);
    }

    /**
     * A 64-bit digest of the flow's id, every step (id, operator, the streams it reads and
     * writes) and its codec registry: equal on every process that built the same flow, so the
     * cluster handshake can tell that processes built different flows.
     */
    public long fingerprint() {
        StringBuilder b = new StringBuilder(flowId);
        for (Step s : steps) {
            b.append('\n').append(s.kind()).append(' ').append(s.id()).append(' ').append(s.ups()).append(' ').append(s.downs());
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < b.length(); i++) {
            h = (h ^ b.charAt(i)) * 0x100000001b3L;
        }
        return h ^ codecs.fingerprint() * 31;
    }
}
