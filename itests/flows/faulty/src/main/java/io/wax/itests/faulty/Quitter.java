package io.wax.itests.faulty;

import io.wax.api.Dataflow;
import io.wax.api.flow.FlowFactory;
import io.wax.api.testing.TestingSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code quitter(String how)}: its map step ends the process the way {@code how} says: {@code exit}
 * ({@code System.exit(3)}), {@code runtime} ({@code Runtime.getRuntime().exit(4)}) or {@code halt}
 * ({@code Runtime.getRuntime().halt(5)}).
 */
@Component(service = FlowFactory.class)
public final class Quitter implements FlowFactory {
    @Override
    public String name() {
        return "quitter";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("how", String.class));
    }

    @Override
    public Dataflow build(List<Object> args) {
        String how = (String) args.get(0);
        Dataflow flow = new Dataflow("quitter");
        flow.input("inp", new TestingSource<Integer>(List.of(1, 2, 3)))
                .map("quit", x -> quit(how, x))
                .output("out", new StdOutSink());
        return flow;
    }

    static int quit(String how, int x) {
        if (x == 2) {
            switch (how) {
                case "exit" -> System.exit(3);
                case "runtime" -> Runtime.getRuntime().exit(4);
                default -> Runtime.getRuntime().halt(5);
            }
        }
        return x;
    }
}
