package io.wax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.plan.Step;
import io.wax.api.testing.TestingSink;
import io.wax.api.testing.TestingSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step ids: mandatory, unique per scope, dot-free, and nested for derived operators. */
class DataflowTest {
    @Test
    void derivedOperatorsNestTheirCoreSteps() {
        Dataflow flow = new Dataflow("simple");
        flow.input("inp", new TestingSource<Integer>(List.of(1))).map("add_one", x -> x + 1)
                .keyOn("key", String::valueOf).countFinal("count", kv -> kv.key()).output("out", new TestingSink<>());
        List<String> ids = flow.plan().steps().stream().map(Step::id).toList();
        assertEquals(List.of("simple.inp", "simple.add_one.flat_map_batch", "simple.key.flat_map_batch",
                "simple.count.key_on.flat_map_batch", "simple.count.fold_final.stateful_batch", "simple.out"), ids);
    }

    /** A composite operator written outside the API, as in the Javadoc of {@code Stream.nest}. */
    static Stream<String> shout(String stepId, Stream<String> up) {
        return up.nest(stepId, "shout").map("upper", String::toUpperCase).inScopeOf(up);
    }

    @Test
    void compositesOutsideTheApiNestTheirSteps() {
        Dataflow flow = new Dataflow("f");
        shout("loud", flow.input("inp", new TestingSource<String>(List.of("a")))).map("after", s -> s).output("out", new TestingSink<>());
        List<String> ids = flow.plan().steps().stream().map(Step::id).toList();
        assertEquals(List.of("f.inp", "f.loud.upper.flat_map_batch", "f.after.flat_map_batch", "f.out"), ids);
        assertEquals("shout", flow.plan().scopes().get(0).operator());
    }

    @Test
    void duplicateIdsAreRejected() {
        Dataflow flow = new Dataflow("f");
        Stream<Integer> s = flow.input("inp", new TestingSource<Integer>(List.of(1)));
        s.map("m", x -> x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.map("m", x -> x));
        assertTrue(e.getMessage().contains("'m' is used twice"), e.getMessage());
    }

    @Test
    void sameIdInDifferentScopesIsFine() {
        Dataflow flow = new Dataflow("f");
        Stream<Integer> s = flow.input("inp", new TestingSource<Integer>(List.of(1)));
        s.map("a", x -> x).map("b", x -> x);
        assertEquals(3, flow.plan().steps().size());
    }

    @Test
    void badIdsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Dataflow("a.b"));
        Dataflow flow = new Dataflow("f");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flow.input("x.y", new TestingSource<Integer>(List.of())));
        assertTrue(e.getMessage().contains("must not contain '.'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> flow.input("", new TestingSource<Integer>(List.of())));
        assertThrows(IllegalArgumentException.class, () -> flow.input("ok", null));
    }
}
