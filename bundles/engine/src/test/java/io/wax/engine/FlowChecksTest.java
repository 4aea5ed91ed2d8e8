package io.wax.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.KeyedStream;
import io.wax.api.Stream;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import io.wax.engine.testkit.Flows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytewax's checks of a flow (its {@code test_dataflow.py}): a flow with no input or no output
 * fails at run start, a step id used twice and streams of two scopes in one step are refused.
 */
class FlowChecksTest {
    @Test
    void aFlowWithNoInputFailsAtRunStart() {
        for (int w : new int[] {1, 3}) {
            Dataflow flow = new Dataflow("test_df");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runner.run(flow, Flows.options(w)));
            assertEquals("flow 'test_df' has no input: add a source with flow.input(\"inp\", source) "
                    + "(a flow needs at least one input step)", e.getMessage());
        }
    }

    @Test
    void aFlowWithNoOutputFailsAtRunStart() {
        for (int w : new int[] {1, 3}) {
            Dataflow flow = new Dataflow("test_df");
            flow.input("inp", new TestingSource<Integer>(List.of(1, 2))).map("double", (Integer x) -> x * 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runner.run(flow, Flows.options(w)));
            assertEquals("flow 'test_df' has no output: end a stream with output(\"out\", sink) or inspect(\"look\", fn) "
                    + "(a flow needs at least one output or inspect step)", e.getMessage());
        }
    }

    @Test
    void anInspectStepCountsAsOutput() {
        for (int w : new int[] {1, 3}) {
            List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            Dataflow flow = new Dataflow("test_df");
            flow.input("inp", new TestingSource<Integer>(List.of(1, 2))).inspect("look", (step, x) -> seen.add(x));
            Runner.run(flow, Flows.options(w));
            assertEquals(2, seen.size());
        }
    }

    @Test
    void aStepIdUsedTwiceIsRefused() {
        Dataflow flow = new Dataflow("test_df");
        flow.input("inp", new TestingSource<Integer>(List.of(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flow.input("inp", new TestingSource<Integer>(List.of(2))));
        assertEquals("step id 'inp' is used twice in 'test_df': give each step of a scope its own id", e.getMessage());
    }

    /** A nested operator that merges its input with a stream of the outer scope it was not given. */
    private static Stream<Integer> badOp(String stepId, Stream<Integer> up, Stream<Integer> outer) {
        Stream<Integer> inner = up.nest(stepId, "bad_op");
        return inner.merge("merge", List.of(outer)).inScopeOf(up);
    }

    @Test
    void aStreamOfAnOuterScopeInsideANestedOperatorIsRefused() {
        Dataflow flow = new Dataflow("test_df");
        Stream<Integer> a = flow.input("a", new TestingSource<Integer>(List.of(1)));
        Stream<Integer> b = flow.input("b", new TestingSource<Integer>(List.of(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> badOp("op", a, b));
        assertEquals("inconsistent stream scoping: step 'test_df.op.merge' is in scope 'test_df.op' but uses stream "
                + "'test_df.b.down' of scope 'test_df'; inside a nested operator, bring outer streams in with "
                + "stream.inScopeOf(up), or call the operator from the outer scope", e.getMessage());
    }

    @Test
    void aStreamBroughtInWithInScopeOfIsFine() {
        for (int w : new int[] {1, 3}) {
            TestingSink<Integer> out = new TestingSink<>();
            Dataflow flow = new Dataflow("test_df");
            Stream<Integer> a = flow.input("a", new TestingSource<Integer>(List.of(1)));
            Stream<Integer> b = flow.input("b", new TestingSource<Integer>(List.of(2)));
            Stream<Integer> inner = a.nest("op", "good_op");
            inner.merge("merge", List.of(b.inScopeOf(inner))).inScopeOf(a).output("out", out);
            Runner.run(flow, Flows.options(w));
            assertEquals(Flows.multiset(List.of(1, 2)), Flows.multiset(out.items()));
        }
    }

    @Test
    void aJoinWithAStreamOfAnotherScopeIsRefused() {
        Dataflow flow = new Dataflow("test_df");
        KeyedStream<Integer> a = flow.input("a", new TestingSource<Integer>(List.of(1))).keyOn("ka", x -> "k");
        KeyedStream<Integer> b = flow.input("b", new TestingSource<Integer>(List.of(2))).keyOn("kb", x -> "k");
        KeyedStream<Integer> inner = a.nest("op", "bad_join");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inner.join("join", List.of(b)));
        assertEquals(true, e.getMessage().startsWith("inconsistent stream scoping: step 'test_df.op.join'"), e.getMessage());
    }
}
