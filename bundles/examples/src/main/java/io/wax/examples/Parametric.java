package io.wax.examples;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code parametric(int n)}: 0 .. n-1 plus one, printed: 1 .. n. */
@Component(service = FlowFactory.class)
public final class Parametric implements FlowFactory {
    @Override
    public String name() {
        return "parametric";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("n", int.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        int n = (Integer) args.get(0);
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        List<Integer> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        Dataflow flow = new Dataflow("parametric");
        flow.input("inp", new TestingSource<Integer>(items, 100))
                .map("add_one", x -> x + 1)
                .output("out", new StdOutSink());
        return flow;
    }
}
