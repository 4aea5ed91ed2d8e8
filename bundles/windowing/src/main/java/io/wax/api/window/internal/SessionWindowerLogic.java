package io.wax.api.window.internal;

import io.wax.api.window.LateItem;
import io.wax.api.window.WindowerLogic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Session windows. A key's sessions are numbered 0, 1, 2, ... in the order they open, as in
 * Bytewax; the next number is kept for as long as the key is (Bytewax never drops a key that had
 * a session, so that ids never repeat: a downstream join on window ids would mix two sessions).
 * Sessions are kept sorted by first timestamp; consecutive sessions are more than {@code gap}
 * apart, so an item touches at most two of them. An item that touches two merges the one with
 * the later first timestamp into the other, reported as {@code Merge(merged id, surviving id)}.
 * Everything depends only on the order of the key's items, never on batching or hash order, so
 * the output is the same on every run.
 */
public final class SessionWindowerLogic implements WindowerLogic<SessionWindowerLogic.State> {
    /** One session: its id (its number in opening order), first and last timestamps. */
    public record Session(long id, long first, long last) {
    }

    /** The snapshot: the id the next session gets, and the sessions, sorted by first timestamp. */
    public record State(long nextId, List<Session> sessions) {
    }

    private final long gap;
    private final ArrayList<Session> sessions;
    private long nextId;
    private List<Merge> merges = List.of();

    public SessionWindowerLogic(long gap, State resume) {
        this.gap = gap;
        this.sessions = resume == null ? new ArrayList<>() : new ArrayList<>(resume.sessions());
        this.nextId = resume == null ? 0 : resume.nextId();
    }

    @Override
    public void openFor(long ts, long watermark, LongConsumer windows) {
        int n = sessions.size();
        int i = 0;
        // The first session whose last item is within gap before ts, or later.
        while (i < n && Sat.add(sessions.get(i).last(), gap) < ts) {
            i++;
        }
        if (i == n || Sat.sub(sessions.get(i).first(), gap) > ts) {
            long id = nextId++;
            sessions.add(i, new Session(id, ts, ts));
            windows.accept(id);
            return;
        }
        Session a = sessions.get(i);
        long first = Math.min(a.first(), ts);
        long last = Math.max(a.last(), ts);
        if (i + 1 < n && Sat.sub(sessions.get(i + 1).first(), gap) <= last) {
            Session b = sessions.remove(i + 1);
            last = Math.max(last, b.last());
            if (merges.isEmpty()) {
                merges = new ArrayList<>(2);
            }
            merges.add(new Merge(b.id(), a.id()));
        }
        sessions.set(i, new Session(a.id(), first, last));
        windows.accept(a.id());
    }

    @Override
    public void lateFor(long timestamp, LongConsumer windows) {
        windows.accept(LateItem.LATE_SESSION);
    }

    @Override
    public List<Merge> merged() {
        List<Merge> m = merges;
        if (!m.isEmpty()) {
            merges = List.of();
        }
        return m;
    }

    @Override
    public long openTime(long window) {
        return find(window).first();
    }

    @Override
    public long closeTime(long window) {
        return find(window).last();
    }

    @Override
    public long closesAt(long window) {
        return Sat.add(Sat.add(find(window).last(), gap), 1);
    }

    @Override
    public void remove(long window) {
        sessions.removeIf(s -> s.id() == window);
    }

    /** Empty only until the first session: from then on the next id must be kept. */
    @Override
    public boolean isEmpty() {
        return nextId == 0;
    }

    @Override
    public State snapshot() {
        return new State(nextId, List.copyOf(sessions));
    }

    private Session find(long id) {
        for (int i = 0, n = sessions.size(); i < n; i++) {
            Session s = sessions.get(i);
            if (s.id() == id) {
                return s;
            }
        }
        throw new IllegalStateException("no session " + id);
    }
}
