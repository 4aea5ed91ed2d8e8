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
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final List<String> recovery = new ArrayList<>();

        @Override
        public String recoveryInit(String directory, int partitions, boolean force) {
            recovery.add("init " + directory + " " + partitions + " " + force);
            return "created";
        }

        @Override
        public String recoveryInfo(String directory) {
            throw new WaxException("no recovery store at " + directory);
        }

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
            if (flags.workers() == 7) { // runs until stopped
                java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
                control.bind(new RunControl.Target() {
                    @Override
                    public void stop() {
                        stopped.countDown();
                    }

                    @Override
                    public void abort(java.time.Duration grace) {
                    }
                });
                started.countDown();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.println("stopped");
                return;
            }
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

    /** wax:start checks the getter and flags before it starts anything: a mistake is told at once, under its own name. */
    @Test
    void startRefusesBadArgumentsBeforeStartingAnything() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        commands.start(List.of("simple", "--bogus"), o, e);
        commands.start(List.of(), o, e);
        commands.start(List.of("simple(", "-w2"), o, e);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.startsWith("wax:start: unknown flag '--bogus'\nusage: wax:start GETTER [flags]"), errors);
        assertTrue(errors.contains("\nwax:start: which flow?"), errors);
        assertTrue(errors.contains("\nwax:start: ") && errors.contains("'simple('"), errors);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing was started");
        assertEquals(List.of(), runtime.runs);
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

    @Test
    void stopEndsANamedRunGracefully() throws Exception {
        commands.stop(List.of("simple"), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no run of flow 'simple' in this shell; running: none"));
        err.reset();
        Thread t = new Thread(() -> run("simple", "-w7"));
        t.start();
        runtime.started.await();
        commands.stop(List.of("simple"), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        t.join(10_000);
        assertTrue(!t.isAlive(), "the run ended");
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("stopping simple at the next epoch boundary") && o.contains("stopped"), o);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void recoveryInitAndInfo() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        commands.recovery(List.of("init", "state", "4", "--force"), o, e);
        assertEquals(List.of("init state 4 true"), runtime.recovery);
        assertEquals("created\n", out.toString(StandardCharsets.UTF_8));
        commands.recovery(List.of("info", "nowhere"), o, e);
        commands.recovery(List.of("init", "state", "four"), o, e);
        assertEquals("wax:recovery: no recovery store at nowhere\n"
                + "wax:recovery: init needs a whole number of partitions, got 'four'\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandPrintsItsUsageForHelp() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Map<String, Runnable> asks = new java.util.LinkedHashMap<>();
        asks.put("wax:flows", () -> commands.flows(List.of("--help"), o, e));
        asks.put("wax:recovery", () -> commands.recovery(List.of("init", "-h"), o, e));
        asks.put("wax:stop", () -> commands.stop(List.of("-h"), o, e));
        asks.put("wax:describe", () -> commands.describe(List.of("simple", "--help"), o, e));
        asks.put("wax:run", () -> run("simple", "-h"));
        asks.forEach((command, ask) -> {
            out.reset();
            ask.run();
            assertTrue(out.toString(StandardCharsets.UTF_8).matches("(?s)usage: " + command + "[ \\n].*"), command + ": " + out);
            assertEquals("", err.toString(StandardCharsets.UTF_8), command);
        });
        assertTrue(runtime.runs.isEmpty() && runtime.recovery.isEmpty(), "help runs nothing");
    }
}
