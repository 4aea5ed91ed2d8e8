package io.wax.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.runtime.FlowInfo;
import io.wax.runtime.RunControl;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaxCommandsTest {
    /** Records runs; knows only "simple". */
    private static final class FakeRuntime implements WaxRuntime {
        final List<String> runs = new ArrayList<>();

        @Override
        public List<FlowInfo> flows() {
            return List.of(new FlowInfo("simple", List.of(), "io.wax.examples", "0.1.0", null));
        }

        @Override
        public String describe(String getter, String format) {
            return getter + " as " + format + "\n";
        }

        @Override
        public void run(String getter, RunFlags flags, PrintStream out, InputStream in, RunControl control) {
            if (!getter.equals("simple")) {
                throw new WaxException("no flow named '" + getter + "' is deployed; deployed flows: simple");
            }
            runs.add(getter + " -w" + flags.workers() + " " + flags.epochInterval());
            out.println("1");
        }
    }

    private final FakeRuntime runtime = new FakeRuntime();
    private final WaxCommands commands = new WaxCommands(runtime, Map.of("WAX_EPOCH_INTERVAL", "2s"));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private void run(String... args) {
        commands.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void runsWithTheSharedFlagsAndTheEnvironment() {
        run("simple", "-w3");
        assertEquals(List.of("simple -w3 PT2S"), runtime.runs);
        assertEquals("1\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void errorsAreOneLineAndBadFlagsShowUsage() {
        run("nosuch");
        assertEquals("wax:run: no flow named 'nosuch' is deployed; deployed flows: simple\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        run("simple", "--bogus");
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("wax:run: unknown flag '--bogus'\nusage: wax:run GETTER [flags]"), e);
        assertTrue(runtime.runs.isEmpty());
    }

    @Test
    void describeTakesAFormat() {
        commands.describe(List.of("simple", "--format", "mermaid"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("simple as mermaid\n", out.toString(StandardCharsets.UTF_8));
        commands.describe(List.of("simple", "--format", "png"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("wax:describe: --format must be json or mermaid"));
    }
}
