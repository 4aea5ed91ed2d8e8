package io.wax.examples;

import io.wax.api.Dataflow;
import io.wax.api.Update;
import io.wax.api.flow.FlowFactory;
import io.wax.connectors.stdio.StdInSource;
import io.wax.connectors.stdio.StdOutSink;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code wordcount}: the words of standard input with a running count, one {@code word count} line
 * per word seen; the last line for each word holds its total.
 * <pre>
 * $ printf 'a b a\nb a\n' | bin/wax run wordcount -w2
 * </pre>
 */
@Component(service = FlowFactory.class)
public final class WordCount implements FlowFactory {
    @Override
    public String name() {
        return "wordcount";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("wordcount");
        flow.input("inp", new StdInSource())
                .flatMap("split", (String line) -> Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList())
                .keyOn("key", w -> w)
                .statefulMap("count", (Long seen, String w) -> {
                    long n = seen == null ? 1 : seen + 1;
                    return Update.of(n, n);
                })
                .map("format", kv -> kv.key() + " " + kv.value())
                .output("out", new StdOutSink());
        return flow;
    }
}
