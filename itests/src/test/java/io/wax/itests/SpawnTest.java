package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code bin/wax spawn}: a local cluster of real {@code bin/wax run} processes over gRPC, started,
 * labelled, stopped and judged by one command.
 */
public class SpawnTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static Path home;

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("faulty"), home.resolve("deploy/faulty.jar"));
        // The first run of a fresh copy records its class-data archive: not in several processes at once.
        assertEquals(0, WaxProcess.run(home, Map.of(), "", "flows").exitCode());
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    @Test
    public void simpleOnTwoProcessesPrintsEachItemOnce() throws Exception {
        WaxProcess spawn = WaxProcess.run(home, Map.of(), "", "spawn", "simple", "-p", "2", "-w", "2");
        assertEquals(spawn.err(), 0, spawn.exitCode());
        assertEquals(spawn.out(), List.of("1", "2", "3"), sorted(spawn.outLines()));
    }

    @Test
    public void labelPrefixesEachLineWithItsProcess() throws Exception {
        WaxProcess spawn = WaxProcess.run(home, Map.of(), "", "spawn", "simple", "-p", "2", "--label");
        assertEquals(spawn.err(), 0, spawn.exitCode());
        List<String> items = new ArrayList<>();
        Pattern labelled = Pattern.compile("\\[([01])\\] (.*)");
        for (String line : spawn.outLines()) {
            Matcher m = labelled.matcher(line);
            assertTrue("not labelled: " + line, m.matches());
            items.add(m.group(2));
        }
        assertEquals(spawn.out(), List.of("1", "2", "3"), sorted(items));
        // Warnings and errors are labelled too: each process warns that its port accepts anyone.
        for (String line : spawn.err().split("\\R")) {
            assertTrue("not labelled: " + line, line.isEmpty() || line.matches("\\[[01]\\] .*"));
        }
        assertTrue(spawn.err(), spawn.err().contains("[0] ") && spawn.err().contains("[1] "));
    }

    @Test
    public void aFailingFlowGivesTheFirstNonZeroExitCode() throws Exception {
        WaxProcess boom = WaxProcess.run(home, Map.of(), "", "spawn", "boom", "-p", "2");
        assertEquals(boom.err(), 1, boom.exitCode());
        assertTrue(boom.err(), boom.err().contains("two is not allowed"));
        // A getter that does not parse: every process exits 2 (a bad command line), and so does spawn.
        WaxProcess bad = WaxProcess.run(home, Map.of(), "", "spawn", "parametric(", "-p", "2");
        assertEquals(bad.err(), 2, bad.exitCode());
    }

    @Test
    public void oneSigtermIsPassedOnAndEveryProcessStopsWithExitZero() throws Exception {
        try (WaxProcess spawn = WaxProcess.start(home, Map.of(), "spawn", "wordcount", "-p", "2", "--epoch-interval", "100ms")) {
            // stdin stays open: the run goes on until a signal stops it.
            spawn.send("x\n");
            Await.until(Duration.ofSeconds(60), () -> spawn.out().contains("x 1"), () -> "the cluster never ran: " + spawn.err());
            List<ProcessHandle> children = ProcessHandle.of(spawn.pid()).orElseThrow().children()
                    .filter(c -> c.info().command().orElse("").endsWith("java")).toList();
            assertEquals("two processes: " + children, 2, children.size());
            // One SIGTERM: every process closes the open epoch, after the same epoch, and exits 0.
            spawn.signal("TERM");
            assertEquals(spawn.err(), 0, spawn.exitCode(Duration.ofSeconds(30)));
            assertEquals(spawn.err(), 2, count(spawn.err(), "SIGTERM: closing the open epoch"));
            for (ProcessHandle c : children) {
                assertFalse("process " + c.pid() + " still runs", c.isAlive());
            }
        }
    }

    private static long count(String text, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}
