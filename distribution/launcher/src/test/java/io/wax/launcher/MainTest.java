package io.wax.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command lines the launcher answers before any framework starts. */
class MainTest {
    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int wax(Map<String, String> env, String... args) {
        return new Main(new Home(home), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0])).execute(List.of(args));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpNeedsNoDistribution() {
        assertEquals(Main.OK, wax(Map.of(), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: wax "));
    }

    @Test
    void everyCommandPrintsItsUsageForHelpAndExitsZero() throws Exception {
        Files.createDirectories(home.resolve("bundle"));
        List<List<String>> asks = List.of(List.of("flows", "--help"), List.of("flows", "-h"), List.of("describe", "--help"),
                List.of("describe", "simple", "-h"), List.of("run", "--help"), List.of("run", "simple", "-h"),
                List.of("status", "-h"), List.of("recovery", "--help"), List.of("recovery", "init", "--help"),
                List.of("recovery", "info", "-h"), List.of("spawn", "--help"), List.of("spawn", "simple", "-h"));
        for (List<String> ask : asks) {
            out.reset();
            err.reset();
            assertEquals(Main.OK, wax(Map.of(), ask.toArray(String[]::new)), ask + ": " + err());
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: wax " + ask.get(0)),
                    ask + ": " + out.toString(StandardCharsets.UTF_8));
            assertEquals("", err(), ask.toString());
        }
        assertTrue(Files.notExists(home.resolve("log")), "nothing was started, so nothing was logged");
    }

    @Test
    void aFolderWithoutBundlesIsNotADistribution() {
        assertEquals(Main.FAILED, wax(Map.of(), "run", "simple"));
        assertTrue(err().contains("is not a Wax distribution"), err());
    }

    @Test
    void badGettersAndExtraArgumentsAreBadCommandLines() throws Exception {
        Files.createDirectories(home.resolve("bundle"));
        assertEquals(Main.USAGE, wax(Map.of(), "run", "parametric(3"));
        assertTrue(err().startsWith("wax: bad flow getter 'parametric(3': expected ',' or ')' at the end"), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of(), "describe", "simple)"));
        assertTrue(err().startsWith("wax: bad flow getter 'simple)'"), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of(), "flows", "simple"));
        assertTrue(err().startsWith("wax: flows takes no arguments, got simple\nusage: wax "), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of(), "run", ""));
        assertTrue(err().startsWith("wax: the flow getter is empty"), err());
    }

    @Test
    void badCommandLinesFailWithUsageBeforeBooting() throws Exception {
        Files.createDirectories(home.resolve("bundle"));
        assertEquals(Main.USAGE, wax(Map.of(), "run", "simple", "-w", "x"));
        assertTrue(err().startsWith("wax: -w/--workers-per-process needs a whole number, got 'x'\nusage: wax run"), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of("WAX_PROCESS_ID", "1"), "run", "simple"));
        assertTrue(err().startsWith("wax: WAX_PROCESS_ID requires -a/--addresses"), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of(), "describe", "simple", "--format", "svg"));
        assertTrue(err().startsWith("wax: --format must be json or mermaid, got 'svg'\nusage: wax describe"), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of(), "recovery", "init", "/tmp/rec", "many"));
        assertTrue(err().startsWith("wax: recovery init needs a whole number of partitions, got 'many'\nusage: wax recovery"), err());
        err.reset();
        assertEquals(Main.USAGE, wax(Map.of(), "recovery", "list"));
        assertTrue(err().contains("unknown recovery command 'list'"), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.notExists(home.resolve("log")), "nothing was started, so nothing was logged");
    }
}
