package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A headless run's output is prompt, and a signal stops it without losing what it computed: the
 * open epoch closes, the counts so far are printed, the exit code is 0. A second signal stops at once.
 */
public class SignalsTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    /** Well below the default 10 s epoch: output that waited for the epoch to close would miss it. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static Path home;

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("faulty"), home.resolve("deploy/faulty.jar"));
    }

    @Test
    public void sigtermAfterTwoLinesPrintsTheCountsSoFarAndExits0() throws Exception {
        try (WaxProcess p = WaxProcess.start(home, Map.of(), "run", "wordcount", "-w2")) {
            p.send("a b a\n");
            Await.until(PROMPTLY, () -> p.outLines().contains("a 2"), () -> "not printed before the epoch closed: " + p.out());
            p.send("b\n");
            Await.until(PROMPTLY, () -> p.outLines().contains("b 2"), p::out);
            p.signal("TERM");
            assertEquals(p.err(), 0, p.exitCode(Duration.ofSeconds(20)));
            assertEquals(List.of("a 1", "a 2", "b 1", "b 2"), HeadlessTest.sorted(p.outLines()));
            assertTrue(p.err(), p.err().contains("wax: SIGTERM: closing the open epoch, then stopping"));
        }
    }

    @Test
    public void sighupAndSigintStopGracefullyToo() throws Exception {
        for (String signal : List.of("HUP", "INT")) {
            try (WaxProcess p = WaxProcess.start(home, Map.of(), "run", "wordcount")) {
                p.send("x y\n");
                Await.until(PROMPTLY, () -> p.outLines().contains("y 1"), p::out);
                p.signal(signal);
                assertEquals(signal + ": " + p.err(), 0, p.exitCode(Duration.ofSeconds(20)));
                assertEquals(List.of("x 1", "y 1"), HeadlessTest.sorted(p.outLines()));
            }
        }
    }

    @Test
    public void aSecondSignalStopsAtOnceWithANonZeroCode() throws Exception {
        // stuck prints 1, then says "spinning" and spins in user code: the graceful stop cannot finish.
        try (WaxProcess p = WaxProcess.start(home, Map.of(), "run", "stuck")) {
            Await.until(Duration.ofSeconds(20), () -> p.outLines().contains("spinning"), p::out);
            p.signal("TERM");
            Await.until(Duration.ofSeconds(10), () -> p.err().contains("SIGTERM: closing"), p::err);
            assertTrue(p.alive());
            p.signal("TERM");
            int code = p.exitCode(Duration.ofSeconds(20));
            assertEquals(p.err(), 128 + 15, code);
            assertNotEquals(0, code);
            assertTrue(p.err(), p.err().contains("wax: SIGTERM again: stopping at once"));
        }
    }
}
