package io.wax.api.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.JoinEmit;
import io.wax.api.KeyedStream;
import io.wax.api.Stream;
import io.wax.api.testing.TestingSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every row of docs/errors.md's "Building a flow" table: its bad call fails with an
 * IllegalArgumentException (which bin/wax shows without a class name) whose message is the row's,
 * word for word; and every bad call checked here has its row.
 */
class ArgumentErrorsTest {
    /** What a row's call may use; a fresh flow for each call, so no step id is taken by another. */
    private record Fixture(Dataflow flow, TestingSource<Integer> source, Stream<Integer> stream, KeyedStream<Integer> keyed,
                           Clock<Integer, Long> clock, Windower<Void> windower, Windowing<Integer> windowing) {
        static Fixture fresh() {
            Dataflow flow = new Dataflow("f");
            TestingSource<Integer> source = new TestingSource<>(List.of(1));
            Stream<Integer> stream = flow.input("numbers", source);
            KeyedStream<Integer> keyed = stream.keyOn("keyed", x -> "k");
            Clock<Integer, Long> clock = Clock.eventMillis(x -> x, Duration.ZERO);
            Windower<Void> windower = Windower.tumbling(Duration.ofMinutes(1), Instant.EPOCH);
            return new Fixture(flow, source, stream, keyed, clock, windower, Windowing.of(keyed, clock, windower));
        }
    }

    private static Map<String, Consumer<Fixture>> calls() {
        Map<String, Consumer<Fixture>> c = new LinkedHashMap<>();
        c.put("flow.input(\"\", source)", f -> f.flow.input("", f.source));
        c.put("stream.map(\"a.b\", x -> x)", f -> f.stream.map("a.b", x -> x));
        c.put("flow.input(\"inp\", null)", f -> f.flow.input("inp", null));
        c.put("stream.map(\"double\", null)", f -> f.stream.map("double", null));
        c.put("stream.filter(\"odd\", null)", f -> f.stream.filter("odd", null));
        c.put("stream.keyOn(\"key\", null)", f -> f.stream.keyOn("key", null));
        c.put("stream.inspect(\"look\", null)", f -> f.stream.inspect("look", null));
        c.put("stream.output(\"out\", null)", f -> f.stream.output("out", null));
        c.put("stream.merge(\"both\", null)", f -> f.stream.merge("both", null));
        c.put("keyed.foldFinal(\"sum\", () -> 0, null)", f -> f.keyed.foldFinal("sum", () -> 0, null));
        c.put("keyed.maxFinal(\"high\", null)", f -> f.keyed.maxFinal("high", null));
        c.put("keyed.join(\"j\", null, JoinEmit.FINAL, List.of())", f -> f.keyed.join("j", null, JoinEmit.FINAL, List.of()));
        c.put("keyed.collect(\"c\", Duration.ofSeconds(-1), 10)", f -> f.keyed.collect("c", Duration.ofSeconds(-1), 10));
        c.put("Windowing.of(keyed, null, windower)", f -> Windowing.of(f.keyed, null, f.windower));
        c.put("Windowing.of(keyed, clock, null)", f -> Windowing.of(f.keyed, f.clock, null));
        c.put("windowing.window(\"w\", null)", f -> f.windowing.window("w", null));
        c.put("windowing.collectMap(\"m\", null, x -> x)", f -> f.windowing.collectMap("m", null, x -> x));
        c.put("windowing.fold(\"sum\", null, (a, x) -> a)", f -> f.windowing.<Integer>fold("sum", null, (a, x) -> a));
        c.put("windowing.fold(\"sum\", () -> 0, null)", f -> f.windowing.fold("sum", () -> 0, null));
        c.put("windowing.reduce(\"sum\", null)", f -> f.windowing.reduce("sum", null));
        c.put("windowing.max(\"high\", null)", f -> f.windowing.max("high", null));
        c.put("windowing.join(\"j\", null, JoinEmit.FINAL, List.of())", f -> f.windowing.join("j", null, JoinEmit.FINAL, List.of()));
        c.put("windowing.join(\"j\", null)", f -> f.windowing.join("j", null));
        c.put("Windowing.countWindow(\"count\", stream, null, clock, windower)",
                f -> Windowing.countWindow("count", f.stream, null, f.clock, f.windower));
        c.put("windowing.allowedLateness(Duration.ofMinutes(-1))", f -> f.windowing.allowedLateness(Duration.ofMinutes(-1)));
        c.put("Windower.tumbling(null, Instant.EPOCH)", f -> Windower.tumbling(null, Instant.EPOCH));
        c.put("Windower.tumbling(Duration.ZERO, Instant.EPOCH)", f -> Windower.tumbling(Duration.ZERO, Instant.EPOCH));
        c.put("Windower.tumbling(Duration.ofNanos(1500000), Instant.EPOCH)",
                f -> Windower.tumbling(Duration.ofNanos(1500000), Instant.EPOCH));
        c.put("Windower.tumbling(Duration.ofMinutes(1), null)", f -> Windower.tumbling(Duration.ofMinutes(1), null));
        c.put("Windower.tumbling(Duration.ofMinutes(1), Instant.MAX)", f -> Windower.tumbling(Duration.ofMinutes(1), Instant.MAX));
        c.put("Windower.sliding(Duration.ofMillis(10), Duration.ofMillis(20), Instant.EPOCH)",
                f -> Windower.sliding(Duration.ofMillis(10), Duration.ofMillis(20), Instant.EPOCH));
        c.put("Windower.session(Duration.ofSeconds(-1))", f -> Windower.session(Duration.ofSeconds(-1)));
        c.put("Clock.event(null, Duration.ZERO)", f -> Clock.event(null, Duration.ZERO));
        c.put("Clock.eventMillis(x -> x, Duration.ofSeconds(-1))", f -> Clock.<Long>eventMillis(x -> x, Duration.ofSeconds(-1)));
        return c;
    }

    /** The section's rows: bad call, message (the first two code spans of each row). */
    private static Map<String, String> documented() throws IOException {
        String doc = Files.readString(Path.of("../../docs/errors.md"));
        int start = doc.indexOf("## Building a flow");
        assertTrue(start >= 0, "docs/errors.md has no 'Building a flow' section");
        int end = doc.indexOf("\n## ", start + 1);
        Map<String, String> rows = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)`", Pattern.MULTILINE);
        Matcher m = row.matcher(doc.substring(start, end < 0 ? doc.length() : end));
        while (m.find()) {
            assertEquals(null, rows.put(m.group(1), m.group(2)), "row given twice: " + m.group(1));
        }
        return rows;
    }

    @Test
    void everyDocumentedArgumentErrorIsTheMessageTheDocShows() throws IOException {
        Map<String, String> doc = documented();
        Map<String, Consumer<Fixture>> calls = calls();
        assertEquals(new TreeSet<>(calls.keySet()), new TreeSet<>(doc.keySet()), "the doc's rows and the calls checked here");
        for (Map.Entry<String, String> e : doc.entrySet()) {
            Fixture f = Fixture.fresh();
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> calls.get(e.getKey()).accept(f),
                    e.getKey());
            assertEquals(e.getValue(), thrown.getMessage(), e.getKey());
        }
    }
}
