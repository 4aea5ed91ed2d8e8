package io.wax.connectors.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.Dataflow;
import io.wax.api.testing.TestingSource;
import io.wax.spi.engine.FlowAbortedException;
import io.wax.spi.engine.Run;
import io.wax.spi.engine.RunOptions;
import io.wax.engine.Runner;
import java.io.BufferedOutputStream;
import java.time.Duration;
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

    @Test
    void eachBatchIsFlushedAtOnceNotWhenItsEpochCloses() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A buffer larger than the output: only a flush makes it reach the bytes.
        PrintStream out = new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false, StandardCharsets.UTF_8);
        Dataflow flow = new Dataflow("prompt");
        flow.input("inp", new TestingSource<Object>(List.of(1, 2, TestingSource.pause(Duration.ofSeconds(30)), 3), 1))
                .output("out", new StdOutSink());
        // 10 s epochs and a long pause: neither an epoch end nor the end of input comes first.
        Run run = Runner.start(flow, RunOptions.defaults().withStdio(out, new ByteArrayInputStream(new byte[0])));
        try {
            // Well before the first epoch would close.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!sortedLines(bytes).equals(List.of("1", "2"))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not printed within 5 s: '" + bytes + "'");
                }
                Thread.sleep(5);
            }
        } finally {
            run.abort(Duration.ofSeconds(5));
            assertThrows(FlowAbortedException.class, run::await);
        }
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
