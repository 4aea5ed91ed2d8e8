package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code bin/wax run|describe|flows} as real processes, in a copy of the distribution. */
public class HeadlessTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static Path home;

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("faulty"), home.resolve("deploy/faulty.jar"));
    }

    private static WaxProcess wax(String... args) throws Exception {
        return WaxProcess.run(home, Map.of(), "", args);
    }

    @Test
    public void simpleWithThreeWorkersPrintsOneTwoThreeOnce() throws Exception {
        WaxProcess p = wax("run", "simple", "-w3");
        assertEquals(p.err(), 0, p.exitCode());
        assertEquals(List.of("1", "2", "3"), sorted(p.outLines()));
    }

    @Test
    public void parametricTakesItsArgument() throws Exception {
        WaxProcess p = wax("run", "parametric(5)", "--workers-per-process", "2");
        assertEquals(p.err(), 0, p.exitCode());
        assertEquals(List.of("1", "2", "3", "4", "5"), sorted(p.outLines()));
    }

    @Test
    public void unknownFlowFailsListingTheDeployedOnes() throws Exception {
        WaxProcess p = wax("run", "nosuch");
        assertNotEquals(0, p.exitCode());
        assertTrue(p.err(), p.err().contains("no flow named 'nosuch' is deployed; deployed flows: "));
        assertTrue(p.err(), p.err().contains("simple"));
        assertEquals("", p.out());
    }

    @Test
    public void badFlagFailsWithUsage() throws Exception {
        WaxProcess p = wax("run", "simple", "--bogus");
        assertEquals(2, p.exitCode());
        assertTrue(p.err(), p.err().startsWith("wax: unknown flag '--bogus'\nusage: wax run GETTER [flags]"));
        assertEquals("", p.out());
    }

    @Test
    public void environmentTwinsAreRead() throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of("WAX_WORKERS_PER_PROCESS", "zero"), "", "run", "simple");
        assertEquals(2, p.exitCode());
        assertTrue(p.err(), p.err().startsWith("wax: WAX_WORKERS_PER_PROCESS needs a whole number, got 'zero'"));
        WaxProcess ok = WaxProcess.run(home, Map.of("WAX_WORKERS_PER_PROCESS", "3", "WAX_EPOCH_INTERVAL", "500ms"), "",
                "run", "simple");
        assertEquals(ok.err(), 0, ok.exitCode());
        assertEquals(List.of("1", "2", "3"), sorted(ok.outLines()));
    }

    @Test
    public void clusterAndRecoveryFlagsAreCheckedThenRefused() throws Exception {
        WaxProcess missingAddresses = wax("run", "simple", "-i0");
        assertEquals(2, missingAddresses.exitCode());
        assertTrue(missingAddresses.err(), missingAddresses.err().contains("-i/--process-id requires -a/--addresses"));
        // A cluster of one process runs (ClusterTest has the real clusters).
        WaxProcess cluster = wax("run", "simple", "-i0", "-a", ClusterTest.addresses(1));
        assertEquals(cluster.err(), 0, cluster.exitCode());
        assertEquals(List.of("1", "2", "3"), sorted(cluster.outLines()));
        String noStore = TMP.getRoot().toPath().resolve("no-store").toString();
        WaxProcess recovery = WaxProcess.run(home, Map.of("WAX_RECOVERY_DIRECTORY", noStore), "", "run", "simple", "-s", "5s");
        assertEquals(1, recovery.exitCode());
        assertTrue(recovery.err(), recovery.err().contains("no recovery store at " + noStore + " (no such directory)"));
    }

    @Test
    public void wordcountCountsStdin() throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of(), "a b a\nb a\n", "run", "wordcount", "-w2");
        assertEquals(p.err(), 0, p.exitCode());
        Map<String, Integer> last = new TreeMap<>();
        for (String line : p.outLines()) {
            String[] wc = line.split(" ");
            last.merge(wc[0], Integer.parseInt(wc[1]), Math::max);
        }
        assertEquals(Map.of("a", 3, "b", 2), last);
    }

    @Test
    public void windowedCountsPerKeyAndWindow() throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of(), "a 1000\nb 2000\na 4000\na 12000\n", "run", "windowed", "-w2");
        assertEquals(p.err(), 0, p.exitCode());
        List<String> lines = new ArrayList<>(p.outLines());
        Collections.sort(lines);
        assertEquals(List.of("a 1970-01-01T00:00:00Z 2", "a 1970-01-01T00:00:10Z 1", "b 1970-01-01T00:00:00Z 1"), lines);
    }

    @Test
    public void describePrintsTheSteps() throws Exception {
        WaxProcess json = wax("describe", "simple", "--format", "json");
        assertEquals(json.err(), 0, json.exitCode());
        assertTrue(json.out(), json.out().contains("\"flow\": \"simple\""));
        assertTrue(json.out(), json.out().contains("{\"id\": \"simple.inp\", \"kind\": \"input\""));
        assertTrue(json.out(), json.out().contains("{\"id\": \"simple.out\", \"kind\": \"output\""));
        WaxProcess mermaid = wax("describe", "simple", "--format=mermaid");
        assertEquals(0, mermaid.exitCode());
        assertTrue(mermaid.out(), mermaid.out().startsWith("flowchart TD\n"));
    }

    @Test
    public void aFailingFlowExitsWithOneParagraph() throws Exception {
        WaxProcess p = wax("run", "boom", "-w2");
        assertEquals(1, p.exitCode());
        String last = p.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(p.err(), last.startsWith("wax: flow 'boom' failed in step 'boom.explode"));
        assertTrue(last, last.contains("two is not allowed"));
        assertTrue(last, last.contains("(at io.wax.itests.faulty.Boom.explode(Boom.java:"));
    }

    @Test
    public void flowsListsFlowsAndBrokenBundles() throws Exception {
        WaxProcess p = wax("flows");
        assertEquals(p.err(), 0, p.exitCode());
        assertTrue(p.out(), p.out().contains("parametric(int n)"));
        assertTrue(p.out(), p.out().contains("broken: its flow component could not be created: io.wax.itests.faulty.Crashing: "
                + "java.lang.IllegalStateException: crashing on purpose"));
    }

    @Test
    public void helpPrintsUsage() throws Exception {
        WaxProcess main = wax("--help");
        assertEquals(0, main.exitCode());
        assertTrue(main.out(), main.out().startsWith("usage: wax "));
        WaxProcess run = wax("run", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out(), run.out().startsWith("usage: wax run GETTER [flags]"));
        WaxProcess unknown = wax("frobnicate");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err(), unknown.err().startsWith("wax: unknown command 'frobnicate'\nusage: wax "));
    }

    static List<String> sorted(List<String> xs) {
        List<String> s = new ArrayList<>(xs);
        s.sort(null);
        return s;
    }
}
