package ${package};

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.io.Sink;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The flow {@code ${flowName}(int n)}: the squares of 0 .. n-1, one per line. As a
 * {@link FlowFactory} service (a Declarative Services component) it is runnable as soon as this
 * bundle is in Wax's {@code deploy/}: {@code bin/wax run '${flowName}(4)'}.
 */
@Component(service = FlowFactory.class)
public final class Squares implements FlowFactory {
    @Override
    public String name() {
        return "${flowName}";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("n", int.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        return flow((Integer) args.get(0), new StdOutSink());
    }

    /** The flow, writing to {@code out}: Wax passes its stdout sink, the unit test a testing sink. */
    static Dataflow flow(int n, Sink<? super Integer> out) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            numbers.add(i);
        }
        Dataflow flow = new Dataflow("${flowName}");
        flow.input("numbers", new TestingSource<Integer>(numbers))
                .map("square", x -> x * x)
                .output("out", out);
        return flow;
    }
}
