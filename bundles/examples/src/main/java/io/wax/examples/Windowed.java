package io.wax.examples;

import io.wax.api.Dataflow;
import io.wax.api.KeyedStream;
import io.wax.api.flow.FlowFactory;
import io.wax.api.window.Clock;
import io.wax.api.window.Windower;
import io.wax.api.window.Windowing;
import io.wax.connectors.stdio.StdInSource;
import io.wax.connectors.stdio.StdOutSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code windowed}: an event-time tumbling count per key. Each line of standard input is
 * {@code KEY EPOCH_MILLIS}; events fall into 10-second windows aligned to the epoch, and each
 * window prints {@code KEY WINDOW_START COUNT} once the event time has passed its end (or at end
 * of input). Events more than 5 s behind the latest one are late and dropped.
 * <pre>
 * $ printf 'a 1000\nb 2000\na 4000\na 12000\n' | bin/wax run windowed -w2
 * a 1970-01-01T00:00:00Z 2
 * b 1970-01-01T00:00:00Z 1
 * a 1970-01-01T00:00:10Z 1
 * </pre>
 */
@Component(service = FlowFactory.class)
public final class Windowed implements FlowFactory {
    static final Duration LENGTH = Duration.ofSeconds(10);

    /** One parsed input line: public, so that its derived codec can make it when it crosses processes. */
    public record Event(String key, long millis) {
        static Event parse(String line) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2 || !parts[1].matches("-?\\d+")) {
                throw new IllegalArgumentException("line '" + line + "' is not 'KEY EPOCH_MILLIS'");
            }
            try {
                return new Event(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line '" + line + "' has a time too large for EPOCH_MILLIS (at most "
                        + Long.MAX_VALUE + ")");
            }
        }
    }

    @Override
    public String name() {
        return "windowed";
    }

    @Override
    public Dataflow build(List<Object> args) {
        Dataflow flow = new Dataflow("windowed");
        flow.codecs().register(Event.class); // events cross to the worker owning their key in another process
        KeyedStream<Event> events = flow.input("inp", new StdInSource())
                .filter("non_blank", (String line) -> !line.isBlank())
                .map("parse", Event::parse)
                .keyOn("key", Event::key);
        Windowing.of(events, Clock.eventMillis(Event::millis, Duration.ofSeconds(5)), Windower.tumbling(LENGTH, Instant.EPOCH))
                .count("count")
                .down()
                .map("format", kv -> kv.key() + " " + Instant.EPOCH.plus(LENGTH.multipliedBy(kv.value().windowId()))
                        + " " + kv.value().value())
                .output("out", new StdOutSink());
        return flow;
    }
}
