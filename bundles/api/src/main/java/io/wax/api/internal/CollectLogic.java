package io.wax.api.internal;

import io.wax.api.Emitter;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The logic of collect: gathers a key's values into a list, emitted when it reaches
 * {@code maxSize}, when {@code timeout} has passed since its first value, or at end of input.
 * The snapshot is the pending list and when it started, so a resumed run keeps the deadline.
 */
public final class CollectLogic<V> implements StatefulBatchLogic<V, List<V>, CollectLogic.State<V>> {
    /** The pending values and the time the first of them arrived. */
    public record State<V>(List<V> values, Instant started) {
    }

    private final Duration timeout;
    private final int maxSize;
    private ArrayList<V> pending;
    private Instant started;

    private CollectLogic(Duration timeout, int maxSize, State<V> resume) {
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.pending = resume == null ? new ArrayList<>() : new ArrayList<>(resume.values());
        this.started = resume == null ? null : resume.started();
    }

    public static <V> StatefulBatchBuilder<V, List<V>, State<V>> builder(Duration timeout, int maxSize) {
        return resume -> new CollectLogic<>(timeout, maxSize, resume);
    }

    @Override
    public void onBatch(List<V> values, Emitter<List<V>> out) {
        for (V v : values) {
            if (pending.isEmpty()) {
                started = Instant.now();
            }
            pending.add(v);
            if (pending.size() >= maxSize) {
                flush(out);
            }
        }
        if (pending.isEmpty()) {
            out.discardState();
        }
    }

    @Override
    public void onNotify(Emitter<List<V>> out) {
        flush(out);
        out.discardState();
    }

    @Override
    public void onEof(Emitter<List<V>> out) {
        flush(out);
        out.discardState();
    }

    @Override
    public Instant notifyAt() {
        return started == null ? null : started.plus(timeout);
    }

    @Override
    public State<V> snapshot() {
        return new State<>(List.copyOf(pending), started);
    }

    private void flush(Emitter<List<V>> out) {
        if (!pending.isEmpty()) {
            out.emit(List.copyOf(pending));
            pending = new ArrayList<>();
            started = null;
        }
    }
}
