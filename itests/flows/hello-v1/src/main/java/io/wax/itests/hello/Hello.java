package io.wax.itests.hello;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code hello(String who)}: prints "hello WHO from v1", so a test can tell the versions apart. */
@Component(service = FlowFactory.class)
public final class Hello implements FlowFactory {
    @Override
    public String name() {
        return "hello";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("who", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("hello");
        flow.input("inp", new TestingSource<Object>(List.of(args.get(0))))
                .map("greet", who -> "hello " + who + " from v1")
                .output("out", new StdOutSink());
        return flow;
    }
}
