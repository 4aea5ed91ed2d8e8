package io.wax.engine.internal;

import io.wax.api.Emitter;
import io.wax.api.KV;
import io.wax.api.StatefulBatchBuilder;
import io.wax.api.StatefulBatchLogic;
import io.wax.api.codec.StringCache;
import io.wax.api.io.StableHash;
import io.wax.plan.KeyedBatch;
import io.wax.plan.PerValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Core operator stateful_batch. Items arrive routed by key, so each key lives on exactly one
 * worker. Batches of the open epoch (the frontier) are applied at once; batches of later epochs
 * wait until every worker has closed the earlier ones, so state always changes in epoch order.
 * When an epoch closes, the keys touched in it are snapshotted.
 */
final class StatefulBatchOp extends Op {
    /** One key's logic and its bookkeeping; {@code start}/{@code count} place its values in a batch. */
    private static final class Entry extends TimerHeap.Timed {
        StatefulBatchLogic<Object, Object, Object> logic;
        int start;
        int count;
        boolean touched;
        /** The instant of the timer set last, or null. */
        Instant notifyAt;

        Entry(String key, StatefulBatchLogic<Object, Object, Object> logic) {
            super(key);
            this.logic = logic;
        }
    }

    /** Collects a logic's output as keyed items, and its wish to be discarded. */
    private static final class Collector implements Emitter<Object> {
        String key;
        KeyedBatch<Object> out;
        boolean discard;
        /** The system time of the current call, read at most once per batch; 0 until read. */
        long now;

        @Override
        public void emit(Object item) {
            out.add(key, item);
        }

        @Override
        public void discardState() {
            discard = true;
        }

        @Override
        public long systemTimeMillis() {
            if (now == 0) {
                now = System.currentTimeMillis();
            }
            return now;
        }
    }

    private final StatefulBatchBuilder<Object, Object, Object> builder;
    /** Whether the logics may be called once per value, so that batches need no grouping. */
    private final boolean perValue;
    /** The one value of a per-value call. */
    private final Object[] single = new Object[1];
    private final KeyTable<Entry> logics = new KeyTable<>();
    /**
     * Decodes the keys (and short string values) of frames from other processes for this step,
     * consulting {@link #logics}: made on the first such frame. 4,096 slots, about 16 KB.
     */
    private StringCache strings;
    private final ArrayList<Entry> inBatch = new ArrayList<>();
    private final ArrayList<Entry> touched = new ArrayList<>();
    /** Whether the epoch closes of the current {@code advance} take a snapshot. */
    private boolean snapshotting;
    /** Keys discarded in the open epoch, recorded as such in its snapshot. */
    private final ArrayList<String> discarded = new ArrayList<>();
    private final TreeMap<Long, List<List<Object>>> later = new TreeMap<>();
    private final TimerHeap timers = new TimerHeap();
    private final Collector collector = new Collector();
    private final Slice slice = new Slice();
    /** Per batch: each item's entry, then the values grouped by key. Reused, grown as needed. */
    private Entry[] entryOf = new Entry[0];
    private Object[] grouped = new Object[0];
    private String[] keyOf = new String[0];
    private int[] hashOf = new int[0];

    @SuppressWarnings("unchecked")
    StatefulBatchOp(Worker w, int index, String stepId, StatefulBatchBuilder<?, ?, ?> builder) {
        super(w, index, stepId, builder, 1, true);
        this.builder = (StatefulBatchBuilder<Object, Object, Object>) builder;
        this.perValue = builder instanceof PerValue;
    }

    @Override
    @SuppressWarnings("unchecked")
    int route(List<Object> batch, int index) {
        String key = (Object) batch instanceof KeyedBatch<?> kb ? kb.key(index) : ((KV<Object>) batch.get(index)).key();
        return StableHash.owner(key, w.workerCount);
    }

    @Override
    void open() throws Exception {
        for (Map.Entry<String, Object> e : w.loadOwned(stepId).entrySet()) {
            if (StableHash.owner(e.getKey(), w.workerCount) == w.index) {
                Entry entry = new Entry(e.getKey(), builder.build(e.getValue()));
                logics.add(entry);
                schedule(entry);
            }
        }
    }

    @Override
    void process(int port, long epoch, List<Object> batch) throws Exception {
        if (epoch > frontier) {
            // A faster worker is already in a later epoch: hold the batch until this one closes.
            later.computeIfAbsent(epoch, e -> new ArrayList<>()).add(batch);
            w.inbox.add(batch.size());
            return;
        }
        apply(epoch, batch);
    }

    /**
     * Value by value suits a batch that holds about one value per key; with many values per key
     * grouping costs less than the calls it saves (W3's events over 10 keys: 52 M items/s grouped,
     * 41 M value by value; over its 1,000 keys value by value is faster). The keys the step knows
     * stand for the keys of a batch: counting a batch's distinct keys first cost W3 10%.
     */
    private static final int PER_VALUE_BELOW = 4;

    private void apply(long epoch, List<Object> batch) throws Exception {
        // Each path sets up its arrays and output batch itself: hoisting that here measured W3 7%
        // slower (19.2-19.5 against 20.7-21.6 M items/s, four alternations).
        if (perValue && PER_VALUE_BELOW * logics.size() > batch.size()) {
            applyEach(epoch, batch);
        } else {
            applyGrouped(epoch, batch);
        }
    }

    /**
     * Applies a batch value by value, for logics that allow it ({@link PerValue}): no grouping.
     * With about one value per key in a batch (W2, W3) grouping costs more than the calls it
     * saves. The keys are looked up in a pass of their own before the calls: the lookups are then
     * independent loads that the CPU overlaps, where each call waited for its own (W2 at 1 worker
     * 27.5 to 30.6 M items/s, W3 17.2 to 19.9 M).
     */
    @SuppressWarnings("unchecked")
    private void applyEach(long epoch, List<Object> batch) throws Exception {
        int n = batch.size();
        KeyedBatch<Object> kb = (Object) batch instanceof KeyedBatch<?> k ? (KeyedBatch<Object>) k : null;
        growBatchArrays(n);
        Entry[] ents = entryOf;
        for (int i = 0; i < n; i++) {
            String key = kb != null ? kb.key(i) : ((KV<Object>) batch.get(i)).key();
            ents[i] = entry(key, KeyTable.spread(key.hashCode()));
        }
        KeyedBatch<Object> out = new KeyedBatch<>(n);
        Collector c = collector;
        c.out = out;
        c.now = 0;
        Object[] one = single;
        Slice values = slice.set(one, 0, 1);
        for (int i = 0; i < n; i++) {
            Entry e = ents[i];
            ents[i] = null;
            if (e.logic == null) {
                // The key discarded its state at an earlier value of this batch: it starts again.
                e = entry(e.key, e.hash);
            }
            one[0] = kb != null ? kb.value(i) : ((KV<Object>) batch.get(i)).value();
            c.key = e.key;
            c.discard = false;
            e.logic.onBatch(values, c);
            after(e);
        }
        one[0] = null;
        // Every value has been read out of the batch: it can be reused (if recyclable).
        outs[0].pool().give(batch);
        if (!out.isEmpty()) {
            outs[0].batch(epoch, (List) out);
        }
    }

    @Override
    StringCache strings() {
        if (strings == null) {
            strings = new StringCache(12, logics);
        }
        return strings;
    }

    /** The entry of {@code key} (whose spread hash is {@code h}), made and added if it has none. */
    private Entry entry(String key, int h) throws Exception {
        Entry e = logics.get(key, h);
        if (e == null) {
            e = new Entry(key, builder.build(null));
            logics.add(e);
        } else if (e.key != key && strings != null) {
            // The cache may hold a key decoded before this step held it: give the step's instance.
            strings.adopt(e.key);
        }
        return e;
    }

    /** Makes the per-batch arrays hold at least {@code n} items. */
    private void growBatchArrays(int n) {
        if (entryOf.length < n) {
            entryOf = new Entry[Math.max(n, 2 * entryOf.length)];
            grouped = new Object[entryOf.length];
            keyOf = new String[entryOf.length];
            hashOf = new int[entryOf.length];
        }
    }

    /**
     * Applies a batch: groups its values by key (a counting sort into one shared array, so a key's
     * values keep their order and no per-key list is allocated), then calls each key's logic once.
     * Keys are hashed in a pass of their own before the lookups: each pass is then a run of
     * independent loads (item, key string; table slot, entry) that the CPU overlaps, where one
     * pass chained all four per item. The engine's floor under W3 went from 35.0 to 37.7 M items/s
     * and W2 at 1 worker from 27.3 to 28.9 M/s.
     */
    @SuppressWarnings("unchecked")
    private void applyGrouped(long epoch, List<Object> batch) throws Exception {
        int n = batch.size();
        growBatchArrays(n);
        Entry[] ents = entryOf;
        KeyedBatch<Object> kb = (Object) batch instanceof KeyedBatch<?> k ? (KeyedBatch<Object>) k : null;
        String[] keys = keyOf;
        int[] hashes = hashOf;
        for (int i = 0; i < n; i++) {
            String key = kb != null ? kb.key(i) : ((KV<Object>) batch.get(i)).key();
            keys[i] = key;
            hashes[i] = KeyTable.spread(key.hashCode());
        }
        for (int i = 0; i < n; i++) {
            String key = keys[i];
            keys[i] = null;
            Entry e = entry(key, hashes[i]);
            if (e.count++ == 0) {
                inBatch.add(e);
            }
            ents[i] = e;
        }
        int pos = 0;
        for (int k = 0, m = inBatch.size(); k < m; k++) {
            Entry e = inBatch.get(k);
            e.start = pos;
            pos += e.count;
        }
        Object[] vals = grouped;
        for (int i = 0; i < n; i++) {
            Entry e = ents[i];
            ents[i] = null;
            vals[e.start++] = kb != null ? kb.value(i) : ((KV<Object>) batch.get(i)).value();
        }
        KeyedBatch<Object> out = new KeyedBatch<>(n);
        Collector c = collector;
        c.out = out;
        c.now = 0;
        for (int k = 0, m = inBatch.size(); k < m; k++) {
            Entry e = inBatch.get(k);
            int count = e.count;
            e.count = 0;
            c.key = e.key;
            c.discard = false;
            e.logic.onBatch(slice.set(vals, e.start - count, count), c);
            after(e);
        }
        inBatch.clear();
        java.util.Arrays.fill(vals, 0, n, null);
        outs[0].pool().give(batch);
        if (!out.isEmpty()) {
            outs[0].batch(epoch, (List) out);
        }
    }

    /** Bookkeeping after any call into a key's logic: discard, snapshot marking, timer. */
    private void after(Entry e) {
        if (collector.discard) {
            logics.remove(e.key);
            e.logic = null;
            timers.set(e, Long.MAX_VALUE);
            if (w.recovering()) {
                discarded.add(e.key);
            }
            return;
        }
        if (w.recovering() && !e.touched) {
            e.touched = true;
            touched.add(e);
        }
        schedule(e);
    }

    /** The last logic class seen, and whether it overrides {@code notifyAt}: one check per class, not per call. */
    private Class<?> timerClass;
    private boolean timerClassWantsTimers;

    /**
     * Whether a logic can want timers at all. Most logics (stateful_map, folds, joins) keep the
     * interface's default {@code notifyAt()}, and skipping the call matters: it runs for every key
     * of every batch, and the JIT often cannot inline it.
     */
    private boolean wantsTimers(StatefulBatchLogic<?, ?, ?> logic) {
        Class<?> c = logic.getClass();
        if (c != timerClass) {
            try {
                timerClassWantsTimers = c.getMethod("notifyAt").getDeclaringClass() != StatefulBatchLogic.class;
            } catch (NoSuchMethodException impossible) {
                timerClassWantsTimers = true;
            }
            timerClass = c;
        }
        return timerClassWantsTimers;
    }

    private void schedule(Entry e) {
        if (e.timerAt == Long.MAX_VALUE && !wantsTimers(e.logic)) {
            return;
        }
        Instant at = e.logic.notifyAt();
        if (at != null && at == e.notifyAt) {
            return;
        }
        e.notifyAt = at;
        timers.set(e, at == null ? Long.MAX_VALUE : at.toEpochMilli());
    }

    /** The earliest pending timer, in epoch millis, or {@code Long.MAX_VALUE}. */
    long nextTimerMs() {
        return timers.first();
    }

    /** Calls onNotify for every key whose time has come; returns whether any did. */
    boolean fireTimers(long nowMs) {
        if (frontier == DONE || nextTimerMs() > nowMs) {
            return false;
        }
        KeyedBatch<Object> out = new KeyedBatch<>(16);
        collector.out = out;
        collector.now = nowMs;
        w.current = this;
        try {
            while (nextTimerMs() <= nowMs) {
                Entry e = (Entry) timers.poll();
                e.notifyAt = null;
                collector.key = e.key;
                collector.discard = false;
                e.logic.onNotify(collector);
                after(e);
            }
        } catch (RuntimeException ex) {
            throw wrap(ex, frontier);
        } catch (Exception | Error ex) {
            throw new StepFailure(stepId, userFn, frontier, ex);
        } finally {
            w.current = null;
        }
        if (!out.isEmpty()) {
            outs[0].batch(frontier, (List) out);
        }
        return true;
    }

    @Override
    void advance(long old, long now) throws Exception {
        snapshotting = w.snapshotDue(old, now);
        long current = old;
        while (!later.isEmpty() && later.firstKey() < now) {
            closeEpoch(current);
            current = later.firstKey();
            replay(current);
        }
        if (now == DONE) {
            // One close, after end of input: eof visits every live key, so it snapshots them all
            // (a close before it too wrote every key twice into the last commit).
            finalEpoch = current;
            eof(current);
            closeEpoch(current);
        } else {
            closeEpoch(current);
            if (!later.isEmpty() && later.firstKey() == now) {
                replay(now);
            }
        }
        forward(now);
    }

    private void replay(long epoch) throws Exception {
        for (List<Object> batch : later.remove(epoch)) {
            w.inbox.add(-batch.size());
            apply(epoch, batch);
        }
    }

    private void eof(long epoch) throws Exception {
        KeyedBatch<Object> out = new KeyedBatch<>(logics.size());
        collector.out = out;
        collector.now = 0;
        for (Entry e : logics.values()) {
            collector.key = e.key;
            collector.discard = false;
            e.logic.onEof(collector);
            after(e);
        }
        if (!out.isEmpty()) {
            outs[0].batch(epoch, (List) out);
        }
        logics.clear();
        timers.clear();
    }

    private void closeEpoch(long epoch) throws Exception {
        if (!w.recovering() || !snapshotting) {
            return;
        }
        for (String key : discarded) {
            w.snapshot(stepId, key, epoch, null);
        }
        discarded.clear();
        for (Entry e : touched) {
            e.touched = false;
            if (e.logic != null) {
                w.snapshot(stepId, e.key, epoch, e.logic.snapshot());
            }
        }
        touched.clear();
    }
}
