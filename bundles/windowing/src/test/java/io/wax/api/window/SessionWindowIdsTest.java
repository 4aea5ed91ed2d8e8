package io.wax.api.window;

import static io.wax.api.window.Win.MINUTE;
import static io.wax.api.window.Win.evs;
import static io.wax.api.window.Win.min;
import static io.wax.api.window.Win.mins;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.engine.testkit.Flows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 1: a key's sessions are numbered 0, 1, 2, ... in the order they open, and a merge
 * is reported as (merged id, surviving id), as in Bytewax's {@code test_session_windower.py}.
 */
class SessionWindowIdsTest {
    private static final long SECOND = 1000;
    /** Waits 20.5 minutes: nothing in these tests is late, sessions close at end of input. */
    private static final Clock<Win.Ev, Long> PATIENT = Clock.eventMillis(e -> e.minute() * MINUTE,
            Duration.ofMinutes(20).plusSeconds(30));

    @SuppressWarnings("unchecked")
    private static WindowerLogic<Object> tenSecondSessions() throws Exception {
        return ((Windower<Object>) Windower.session(Duration.ofSeconds(10))).build(null);
    }

    private static List<Long> openFor(WindowerLogic<Object> logic, long ts) {
        List<Long> ids = new ArrayList<>();
        logic.openFor(ts, Long.MIN_VALUE, ids::add);
        return ids;
    }

    /** Bytewax's test_initial_session and test_extend_*: the first session is 0 and items within the gap join it. */
    @Test
    void theFirstSessionIsZeroAndItemsWithinTheGapJoinIt() throws Exception {
        WindowerLogic<Object> logic = tenSecondSessions();
        assertEquals(List.of(0L), openFor(logic, 0));
        assertEquals(List.of(0L), openFor(logic, 5 * SECOND));
        assertEquals(List.of(0L), openFor(logic, 15 * SECOND));
        assertEquals(List.of(0L), openFor(logic, -10 * SECOND));
        assertEquals(-10 * SECOND, logic.openTime(0));
        assertEquals(15 * SECOND, logic.closeTime(0));
        assertEquals(List.of(), logic.merged());
    }

    /** Bytewax's test_extend_merge: 9:00:00 opens 0, 9:00:20 opens 1, 9:00:10 merges 1 into 0. */
    @Test
    void anItemBridgingTwoSessionsReportsMergedIdThenSurvivingId() throws Exception {
        WindowerLogic<Object> logic = tenSecondSessions();
        assertEquals(List.of(0L), openFor(logic, 0));
        assertEquals(List.of(1L), openFor(logic, 20 * SECOND));
        assertEquals(List.of(0L), openFor(logic, 10 * SECOND));
        assertEquals(List.of(new WindowerLogic.Merge(1, 0)), logic.merged());
        assertEquals(List.of(), logic.merged(), "a merge is reported once");
        assertEquals(0, logic.openTime(0));
        assertEquals(20 * SECOND, logic.closeTime(0));
        // The next session gets the next number: ids are never reused, even after a merge.
        assertEquals(List.of(2L), openFor(logic, 60 * SECOND));
    }

    /**
     * Bytewax sorts sessions by open time to merge them: the one that starts later is merged into
     * the one that starts earlier, whatever their ids (its test_find_merges_no_yes_no).
     */
    @Test
    void theSessionThatStartsEarlierSurvivesWhateverItsId() throws Exception {
        WindowerLogic<Object> logic = tenSecondSessions();
        assertEquals(List.of(0L), openFor(logic, 0));
        assertEquals(List.of(1L), openFor(logic, 40 * SECOND));
        assertEquals(List.of(2L), openFor(logic, 20 * SECOND));
        assertEquals(List.of(2L), openFor(logic, 30 * SECOND));
        assertEquals(List.of(new WindowerLogic.Merge(1, 2)), logic.merged());
    }

    /** Bytewax's test_late: a late item's session id is -1. */
    @Test
    void aLateItemsSessionIdIsMinusOne() throws Exception {
        List<Long> ids = new ArrayList<>();
        tenSecondSessions().lateFor(0, ids::add);
        assertEquals(List.of(-1L), ids);
        assertEquals(-1L, LateItem.LATE_SESSION);
    }

    /**
     * The same in a flow, at 1 and 3 workers and in a cluster: minutes 0 and 20 open sessions 0
     * and 1 (gap 10), minute 10 merges 1 into 0, minute 60 opens 2. The meta stream shows the
     * merge as window 0 with merged id 1.
     */
    @Test
    void inAFlowSessionsAreNumberedInOpeningOrderAndMetaReportsTheMerge() {
        List<?> items = evs("a", 0, 1, 20, 1, 10, 1, 60, 1);
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Win.Ev, Long> out = Win.run(Map.of("p", items), 1, w,
                    s -> Windowing.of(s, PATIENT, Windower.session(mins(10))).count("count"));
            assertEquals(Map.of("a", List.of(new WindowResult<>(0, 3L, 0), new WindowResult<>(2, 1L, 0))),
                    out.downByKey(), "topology " + w);
            assertEquals(Map.of("a", List.of(
                    new WindowMeta(0, min(0), min(0), List.of()),
                    new WindowMeta(1, min(20), min(20), List.of()),
                    new WindowMeta(0, min(0), min(20), List.of(1L)),
                    new WindowMeta(2, min(60), min(60), List.of()))), out.metaByKey(), "topology " + w);
        }
    }

    /** Bytewax's test_session_with_system_clock: 0..9 at once with the system clock are one session, id 0. */
    @Test
    void withTheSystemClockAQuickRunIsOneSessionZero() {
        for (Flows.Topology w : Flows.TOPOLOGIES) {
            Win.Out<Integer, List<Integer>> out = Win.run(Map.of("p", List.of(
                    io.wax.api.KV.of("ALL", 0), io.wax.api.KV.of("ALL", 1), io.wax.api.KV.of("ALL", 2),
                    io.wax.api.KV.of("ALL", 3), io.wax.api.KV.of("ALL", 4), io.wax.api.KV.of("ALL", 5),
                    io.wax.api.KV.of("ALL", 6), io.wax.api.KV.of("ALL", 7), io.wax.api.KV.of("ALL", 8),
                    io.wax.api.KV.of("ALL", 9))), 10, w,
                    s -> Windowing.of(s, Clock.<Integer>system(), Windower.session(Duration.ofSeconds(10)))
                            .collectList("collect_records"));
            assertEquals(Map.of("ALL", List.of(new WindowResult<>(0, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 0))),
                    out.downByKey(), "topology " + w);
        }
    }
}
