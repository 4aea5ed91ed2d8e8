package io.wax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wax.api.flow.FlowFactory;
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

class ExamplesTest {
    @Test
    void simplePrintsOneTwoThree() throws Exception {
        assertEquals(List.of("1", "2", "3"), sorted(run(new Simple(), List.of(), 3, "")));
    }

    @Test
    void parametricPrintsOneToN() throws Exception {
        assertEquals(List.of("1", "2", "3", "4", "5"), sorted(run(new Parametric(), List.of(5), 2, "")));
        assertEquals(List.of(), run(new Parametric(), List.of(0), 1, ""));
        assertThrows(IllegalArgumentException.class, () -> new Parametric().build(List.of(-1)));
    }

    @Test
    void wordcountEndsWithTheTotals() throws Exception {
        List<String> lines = run(new WordCount(), List.of(), 2, "a b a\nb a\n");
        Map<String, Long> last = new TreeMap<>();
        for (String line : lines) {
            String[] wc = line.split(" ");
            last.merge(wc[0], Long.parseLong(wc[1]), Math::max);
        }
        assertEquals(Map.of("a", 3L, "b", 2L), last);
        assertEquals(5, lines.size(), "one line per word read");
    }

    @Test
    void windowedCountsPerKeyAndTenSecondWindow() throws Exception {
        for (int workers = 1; workers <= 3; workers++) {
            List<String> lines = run(new Windowed(), List.of(), workers, "a 1000\nb 2000\n\na 4000\na 12000\n");
            assertEquals(List.of("a 1970-01-01T00:00:00Z 2", "a 1970-01-01T00:00:10Z 1", "b 1970-01-01T00:00:00Z 1"),
                    sorted(lines), "with " + workers + " worker(s)");
        }
    }

    @Test
    void windowedRejectsMalformedLines() {
        io.wax.spi.engine.FlowFailedException e = assertThrows(io.wax.spi.engine.FlowFailedException.class,
                () -> run(new Windowed(), List.of(), 1, "a notanumber\n"));
        assertEquals("windowed.parse.flat_map_batch", e.stepId());
        io.wax.spi.engine.FlowFailedException big = assertThrows(io.wax.spi.engine.FlowFailedException.class,
                () -> run(new Windowed(), List.of(), 1, "a 1000\nb 99999999999999999999\n"));
        assertEquals("line 'b 99999999999999999999' has a time too large for EPOCH_MILLIS (at most 9223372036854775807)",
                big.getCause().getMessage());
    }

    private static List<String> run(FlowFactory f, List<Object> args, int workers, String stdin) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Runner.run(f.build(args), RunOptions.defaults().withWorkers(workers)
                .withStdio(out, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
    }

    private static List<String> sorted(List<String> xs) {
        List<String> s = new ArrayList<>(xs);
        s.sort(null);
        return s;
    }
}
