package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Recovery in a cluster of real {@code bin/wax} processes (2 processes of 2 workers, over gRPC on
 * loopback) sharing one RocksDB store directory: the running wordcount of {@link RecoveryTest} is
 * killed with SIGKILL at random moments, one process or both, and resumed each time, also with the
 * process count changed from 2 to 1 and back. The union of the outputs, each run's cut at the epoch
 * the next run resumed from, is exactly the output of an uninterrupted run: every word's counts
 * 1 .. n once (so the final state is the uninterrupted one too). The seed is printed for a replay.
 *
 * <p>A single SIGTERM, to one process of the cluster or to {@code bin/wax spawn}, stops every
 * process after one agreed epoch with exit 0, and a resume continues exactly: the union of the
 * outputs, with no cut at all, is the uninterrupted run's, nothing twice.
 */
public class ClusterRecoveryTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    /** About 10 s of items at the flow's pace: a few killed runs leave work for the last one. */
    private static final long N = 100_000;
    private static Path home;

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("recovering"), home.resolve("deploy/recovering.jar"));
        // The first run of a fresh copy records its class-data archive: not inside a timed run, nor twice at once.
        assertEquals(0, WaxProcess.run(home, Map.of(), "", "flows").exitCode());
    }

    /** One run: its processes' ids and the epoch it resumed at. */
    private record RunInfo(List<Long> pids, long resumedAt) {
    }

    @Test
    public void twoProcessesKilledAtRandomMomentsResumeToExactlyTheUninterruptedOutput() throws Exception {
        killAndResume("kill", new int[] {2, 2, 2}, 2, List.of("-s", "300ms"));
    }

    @Test
    public void rescalingFromTwoProcessesToOneAndBackGivesEqualResults() throws Exception {
        killAndResume("rescale", new int[] {2, 1}, 2, List.of());
    }

    @Test
    public void oneSigtermToOneProcessStopsEveryProcessAndAResumeContinuesExactly() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ClusterRecoveryTest.sigterm seed " + seed);
        Random random = new Random(seed);
        Path store = TMP.getRoot().toPath().resolve("store-term");
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out-term"));
        RecoveryTest.init(home, store, 4);
        List<WaxProcess> ps = start(store, out, 2, List.of(), Map.of());
        try {
            Await.until(Duration.ofMinutes(1), () -> hasOutput(out), () -> "the cluster wrote nothing: " + ps.get(0).err());
            Thread.sleep(random.nextInt(2000)); // a random moment of the running flow, not a synchronisation
            int victim = random.nextInt(2);
            ps.get(victim).signal("TERM");
            for (WaxProcess p : ps) {
                assertEquals("seed " + seed + ", SIGTERM to process " + victim + ": " + p.err(), 0, p.exitCode(Duration.ofSeconds(30)));
            }
            String other = ps.get(1 - victim).err();
            assertTrue(other, other.contains("process " + victim + " of the cluster was asked to stop"));
            assertFalse(other, other.contains("SIGTERM"));
        } finally {
            ps.forEach(WaxProcess::close);
        }
        long resume = RecoveryTest.resumeEpoch(home, store);
        assertTrue("seed " + seed + ": the stopped run made progress: resumes at " + resume, resume > 1);
        List<WaxProcess> last = start(store, out, 2, List.of(), UNPACED);
        try {
            for (WaxProcess p : last) {
                assertEquals("seed " + seed + ": " + p.err(), 0, p.exitCode(Duration.ofMinutes(2)));
            }
        } finally {
            last.forEach(WaxProcess::close);
        }
        assertExactly("seed " + seed, out);
    }

    @Test
    public void oneSigtermToSpawnStopsEveryProcessAndAResumeContinuesExactly() throws Exception {
        Path store = TMP.getRoot().toPath().resolve("store-spawn");
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out-spawn"));
        RecoveryTest.init(home, store, 4);
        String[] args = {"spawn", "counting(" + N + ", \"" + out + "\")", "-p", "2", "-w2", "-r", store.toString(),
                "--epoch-interval", "100ms"};
        try (WaxProcess spawn = WaxProcess.start(home, Map.of(), args)) {
            Await.until(Duration.ofMinutes(1), () -> hasOutput(out), () -> "the cluster wrote nothing: " + spawn.err());
            List<ProcessHandle> children = ProcessHandle.of(spawn.pid()).orElseThrow().children().toList();
            spawn.signal("TERM");
            assertEquals(spawn.err(), 0, spawn.exitCode(Duration.ofSeconds(30)));
            for (ProcessHandle c : children) {
                assertFalse("process " + c.pid() + " still runs", c.isAlive());
            }
        }
        long resume = RecoveryTest.resumeEpoch(home, store);
        assertTrue("the stopped run made progress: resumes at " + resume, resume > 1);
        try (WaxProcess spawn = WaxProcess.start(home, UNPACED, args)) {
            assertEquals(spawn.err(), 0, spawn.exitCode(Duration.ofMinutes(2)));
        }
        assertExactly("spawn", out);
    }

    /**
     * Processes whose start frames disagree, on -r or on the epoch they resume at (copies of a store
     * instead of one shared directory), each fail with exit 1 and one paragraph naming both values,
     * and every store is left as it was ({@code recovery info} reads the same before and after).
     */
    @Test
    public void processesThatDisagreeOnRecoveryOrOnTheResumeEpochFailAndLeaveTheStoresAsTheyWere() throws Exception {
        Path fresh = TMP.getRoot().toPath().resolve("store-fresh");
        Path used = TMP.getRoot().toPath().resolve("store-used");
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out-start"));
        RecoveryTest.init(home, fresh, 4);
        RecoveryTest.init(home, used, 4);
        String getter = "counting(2000, \"" + out + "\")";
        try (WaxProcess p = WaxProcess.start(home, UNPACED, "run", getter, "-w2", "-r", used.toString())) {
            assertEquals(p.err(), 0, p.exitCode(Duration.ofMinutes(1)));
        }
        long resume = RecoveryTest.resumeEpoch(home, used);
        assertTrue("the first run made progress: " + resume, resume > 1);
        String freshInfo = info(fresh);
        String usedInfo = info(used);

        List<WaxProcess> ps = cluster(List.of(List.of("run", getter, "-w2", "-r", fresh.toString()), List.of("run", getter, "-w2")));
        assertEquals(ps.get(0).err(), 1, ps.get(0).exitCode(Duration.ofSeconds(30)));
        assertEquals(ps.get(1).err(), 1, ps.get(1).exitCode(Duration.ofSeconds(30)));
        assertTrue(ps.get(0).err(), ps.get(0).err().contains("wax: flow 'counting' stopped: process 1 runs without recovery (-r)"
                + " and process 0 with it; give every process of the cluster the same -r"));
        assertTrue(ps.get(1).err(), ps.get(1).err().contains("wax: flow 'counting' stopped: process 0 runs with recovery (-r)"
                + " and process 1 without it; give every process of the cluster the same -r"));
        assertEquals(freshInfo, info(fresh));

        ps = cluster(List.of(List.of("run", getter, "-w2", "-r", fresh.toString()), List.of("run", getter, "-w2", "-r", used.toString())));
        assertEquals(ps.get(0).err(), 1, ps.get(0).exitCode(Duration.ofSeconds(30)));
        assertEquals(ps.get(1).err(), 1, ps.get(1).exitCode(Duration.ofSeconds(30)));
        assertTrue(ps.get(0).err(), ps.get(0).err().contains("wax: flow 'counting' stopped: process 1 resumes at epoch " + resume
                + " but process 0 at epoch 1: the processes do not see the same recovery store."));
        assertTrue(ps.get(1).err(), ps.get(1).err().contains("wax: flow 'counting' stopped: process 0 resumes at epoch 1"
                + " but process 1 at epoch " + resume + ": the processes do not see the same recovery store."));
        assertEquals(freshInfo, info(fresh));
        assertEquals(usedInfo, info(used));
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertEquals("only the first run wrote output", 2, files.count());
        }
    }

    /** Two processes of a cluster on fresh loopback ports, each with its own arguments. */
    private static List<WaxProcess> cluster(List<List<String>> args) throws Exception {
        String addresses = ClusterTest.addresses(args.size());
        List<WaxProcess> ps = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            List<String> a = new ArrayList<>(args.get(i));
            a.addAll(List.of("-i" + i, "-a", addresses, "--cluster-timeout", "20s"));
            ps.add(WaxProcess.start(home, Map.of(), a.toArray(String[]::new)));
        }
        return ps;
    }

    private static String info(Path store) throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of(), "", "recovery", "info", store.toString());
        assertEquals(p.err(), 0, p.exitCode());
        return p.out();
    }

    /** The environment of a test's last, uninterrupted run: the fixture reads at full speed. */
    private static final Map<String, String> UNPACED = Map.of("WAX_TEST_UNPACED", "1");

    /** Whether any process has written a line. */
    private static boolean hasOutput(Path out) {
        try {
            return !allLines(out).isEmpty();
        } catch (Exception e) {
            return false; // a file being created: look again
        }
    }

    /** Every {@code word count} line every run wrote, with no cut: a graceful stop leaves nothing to replay. */
    private static List<String> allLines(Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(f)) {
                    lines.add(line.substring(line.indexOf(' ') + 1));
                }
            }
        }
        return lines;
    }

    private static void assertExactly(String what, Path out) throws Exception {
        List<String> all = allLines(out);
        List<String> expected = RecoveryTest.expected(N);
        assertEquals(what + ": the union of outputs, with no cut", RecoveryTest.multiset(expected), RecoveryTest.multiset(all));
        assertEquals(what + ": nothing twice", expected.size(), all.size());
    }

    private void killAndResume(String name, int[] killedRuns, int finalProcesses, List<String> extra) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ClusterRecoveryTest." + name + " seed " + seed);
        Random random = new Random(seed);
        Path store = TMP.getRoot().toPath().resolve("store-" + name);
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out-" + name));
        RecoveryTest.init(home, store, 4);
        List<RunInfo> runs = new ArrayList<>();
        long resume = 1;
        for (int processes : killedRuns) {
            List<WaxProcess> ps = start(store, out, processes, extra);
            try {
                runs.add(new RunInfo(ps.stream().map(WaxProcess::pid).toList(), resume));
                // A random moment: booting, forming, running or snapshotting (two processes booting at
                // once on a loaded 2-core machine take 4-6 s before the first item; the run takes ~12 s more).
                Thread.sleep(3000 + random.nextInt(6000));
                boolean one = processes > 1 && random.nextBoolean();
                int victim = random.nextInt(processes);
                for (int i = 0; i < processes; i++) {
                    if ((!one || i == victim) && ps.get(i).alive()) {
                        ps.get(i).signal("KILL");
                    }
                }
                // The others stop on their own (fate sharing), or end if they had completed.
                for (WaxProcess p : ps) {
                    p.exitCode(Duration.ofSeconds(40));
                }
            } finally {
                ps.forEach(WaxProcess::close);
            }
            long next = RecoveryTest.resumeEpoch(home, store);
            assertTrue("seed " + seed + ": resume epochs never go back: " + resume + " then " + next, next >= resume);
            resume = next;
        }
        assertTrue("seed " + seed + ": the killed runs made progress: resumes at " + resume, resume > 1);
        List<WaxProcess> last = start(store, out, finalProcesses, extra);
        try {
            runs.add(new RunInfo(last.stream().map(WaxProcess::pid).toList(), resume));
            for (WaxProcess p : last) {
                assertEquals("seed " + seed + ": " + p.err(), 0, p.exitCode(Duration.ofMinutes(2)));
            }
        } finally {
            last.forEach(WaxProcess::close);
        }
        List<String> union = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            long cut = i + 1 < runs.size() ? runs.get(i + 1).resumedAt() : Long.MAX_VALUE;
            for (long pid : runs.get(i).pids()) {
                union.addAll(RecoveryTest.lines(out, pid, cut));
            }
        }
        List<String> expected = RecoveryTest.expected(N);
        assertEquals("seed " + seed + ": the union of outputs, each run cut at the next one's resume epoch",
                expected.size(), union.size());
        assertEquals("seed " + seed, RecoveryTest.multiset(expected), RecoveryTest.multiset(union));
    }

    /** The processes of one run: a cluster on fresh loopback ports, or one process alone. */
    private static List<WaxProcess> start(Path store, Path out, int processes, List<String> extra) throws Exception {
        return start(store, out, processes, extra, Map.of());
    }

    private static List<WaxProcess> start(Path store, Path out, int processes, List<String> extra, Map<String, String> env)
            throws Exception {
        List<String> base = new ArrayList<>(List.of("run", "counting(" + N + ", \"" + out + "\")", "-w2",
                "-r", store.toString(), "--epoch-interval", "100ms"));
        base.addAll(extra);
        List<WaxProcess> ps = new ArrayList<>();
        if (processes == 1) {
            ps.add(WaxProcess.start(home, env, base.toArray(String[]::new)));
            return ps;
        }
        String addresses = ClusterTest.addresses(processes);
        for (int i = 0; i < processes; i++) {
            List<String> args = new ArrayList<>(base);
            // A process killed before the cluster formed leaves the others waiting this long, not 30 s.
            args.addAll(List.of("-i" + i, "-a", addresses, "--cluster-timeout", "10s"));
            ps.add(WaxProcess.start(home, env, args.toArray(String[]::new)));
        }
        return ps;
    }
}
