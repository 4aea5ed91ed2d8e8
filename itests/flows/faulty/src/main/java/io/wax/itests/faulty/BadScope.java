package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.Stream;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bad_scope}: a nested operator that merges a stream of the outer scope it was not given
 * (Bytewax's "inconsistent stream scoping"), which is refused when the flow is built.
 */
@Component(service = FlowFactory.class)
public final class BadScope implements FlowFactory {
    @Override
    public String name() {
        return "bad_scope";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("bad_scope");
        Stream<Integer> a = flow.input("a", new TestingSource<Integer>(List.of(1)));
        Stream<Integer> b = flow.input("b", new TestingSource<Integer>(List.of(2)));
        Stream<Integer> inner = a.nest("op", "bad_op");
        inner.merge("merge", List.of(b)).inScopeOf(a).output("out", new StdOutSink());
        return flow;
    }
}
