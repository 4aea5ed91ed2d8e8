package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        List<String> base = new ArrayList<>(List.of("run", "counting(" + N + ", \"" + out + "\")", "-w2",
                "-r", store.toString(), "--epoch-interval", "100ms"));
        base.addAll(extra);
        List<WaxProcess> ps = new ArrayList<>();
        if (processes == 1) {
            ps.add(WaxProcess.start(home, Map.of(), base.toArray(String[]::new)));
            return ps;
        }
        String addresses = ClusterTest.addresses(processes);
        for (int i = 0; i < processes; i++) {
            List<String> args = new ArrayList<>(base);
            // A process killed before the cluster formed leaves the others waiting this long, not 30 s.
            args.addAll(List.of("-i" + i, "-a", addresses, "--cluster-timeout", "10s"));
            ps.add(WaxProcess.start(home, Map.of(), args.toArray(String[]::new)));
        }
        return ps;
    }
}
