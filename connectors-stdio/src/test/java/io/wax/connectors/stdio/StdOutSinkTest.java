package io.wax.connectors.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSource;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StdOutSinkTest {
    @Test
    void printsEachItemOnItsOwnLineExactlyOnce() {
        for (int workers = 1; workers <= 3; workers++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Dataflow flow = new Dataflow("simple");
            flow.input("inp", new TestingSource<Integer>(List.of(0, 1, 2))).map("add_one", x -> x + 1)
                    .output("out", new StdOutSink());
            run(flow, workers, bytes);
            assertEquals(List.of("1", "2", "3"), sortedLines(bytes));
        }
    }

    @Test
    void linesOfManyWorkersNeverInterleave() {
        // Three partitions, so that all three workers print at the same time.
        List<String> words = new ArrayList<>();
        Map<String, List<String>> parts = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            String word = "item-" + i + "-" + "x".repeat(i % 50);
            words.add(word);
            parts.computeIfAbsent("part" + i % 3, k -> new ArrayList<>()).add(word);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Dataflow flow = new Dataflow("many");
        flow.input("inp", new TestingSource<String>(parts, 7)).output("out", new StdOutSink());
        run(flow, 3, bytes);
        List<String> expected = new ArrayList<>(words);
        expected.sort(null);
        assertEquals(expected, sortedLines(bytes));
    }

    static void run(Dataflow flow, int workers, ByteArrayOutputStream bytes) {
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        Runner.run(flow, RunOptions.defaults().withWorkers(workers)
                .withStdio(out, new ByteArrayInputStream(new byte[0])));
    }

    static List<String> sortedLines(ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R")));
        lines.sort(null);
        return lines;
    }
}
