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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Recovery on real {@code bin/wax} processes and a real RocksDB store: a running wordcount over a
 * seekable source (the fixture flow {@code counting}) is killed with SIGKILL at random moments and
 * resumed each time, also with other worker counts; the union of its outputs, each run's cut at
 * the epoch the next run resumed from, is exactly the output of an uninterrupted run: every word's
 * counts 1 .. n once, in order. A run stopped by SIGTERM and resumed needs no cut at all.
 *
 * <p>The killed and stopped runs read at the fixture's pace, so that a kill lands mid-run; the last
 * run, which is never interrupted, reads the rest at full speed ({@link #LAST}), which takes the
 * waiting out of the test and not a kill.
 */
public class RecoveryTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static final long N = 400_000;
    private static final int WORDS = 50;
    /** The environment of a test's last, uninterrupted run. */
    private static final Map<String, String> LAST = Map.of("WAX_TEST_UNPACED", "1");
    private static Path home;
    private final Random random = new Random();

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("recovering"), home.resolve("deploy/recovering.jar"));
    }

    /** One run: its process id and the epoch it resumed at. */
    private record RunInfo(long pid, long resumedAt) {
    }

    @Test
    public void oneWorkerKilledTenTimesResumesToExactlyTheUninterruptedOutput() throws Exception {
        killAndResume("one", new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, List.of(), false);
    }

    @Test
    public void twoWorkersWithSnapshotsEveryThreeEpochsKilledTenTimes() throws Exception {
        killAndResume("two", new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 2, List.of("-s", "300ms"), false);
    }

    @Test
    public void rescalingFromTwoWorkersToThreeToOneGivesEqualResults() throws Exception {
        // Each run is killed only after it has written output, so every worker count leaves state
        // behind (on a loaded machine four kills at random moments can all land while booting).
        killAndResume("rescale", new int[] {2, 2, 3, 3}, 1, List.of(), true);
    }

    @Test
    public void sigtermSnapshotsAtTheNextEpochBoundaryAndAResumeContinuesExactly() throws Exception {
        Path store = TMP.getRoot().toPath().resolve("store-term");
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out-term"));
        init(store);
        List<RunInfo> runs = new ArrayList<>();
        try (WaxProcess p = WaxProcess.start(home, Map.of(), args(store, out, 2, List.of()))) {
            runs.add(new RunInfo(p.pid(), 1));
            Thread.sleep(2500 + random.nextInt(1000)); // a random moment of the run, not a synchronisation
            p.signal("TERM");
            assertEquals(p.err(), 0, p.exitCode(Duration.ofSeconds(30)));
        }
        long resume = resumeEpoch(store);
        assertTrue("the stopped run made progress: resumes at " + resume, resume > 1);
        try (WaxProcess p = WaxProcess.start(home, LAST, args(store, out, 2, List.of()))) {
            runs.add(new RunInfo(p.pid(), resume));
            assertEquals(p.err(), 0, p.exitCode(Duration.ofMinutes(2)));
        }
        // No cut: a graceful stop leaves nothing to replay, so nothing is printed twice.
        List<String> all = new ArrayList<>(lines(out, runs.get(0).pid(), Long.MAX_VALUE));
        all.addAll(lines(out, runs.get(1).pid(), Long.MAX_VALUE));
        assertEquals(multiset(expected()), multiset(all));
        assertEquals(expected().size(), all.size());
    }

    private void killAndResume(String name, int[] killedWorkers, int finalWorkers, List<String> extra, boolean afterOutput)
            throws Exception {
        Path store = TMP.getRoot().toPath().resolve("store-" + name);
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out-" + name));
        init(store);
        List<RunInfo> runs = new ArrayList<>();
        long resume = 1;
        for (int workers : killedWorkers) {
            try (WaxProcess p = WaxProcess.start(home, Map.of(), args(store, out, workers, extra))) {
                runs.add(new RunInfo(p.pid(), resume));
                if (afterOutput) {
                    Await.until(Duration.ofMinutes(1), () -> hasOutput(out, p.pid()), () -> "run " + runs.size() + " wrote nothing");
                    Thread.sleep(random.nextInt(1500)); // a random moment of the running flow, not a synchronisation
                } else {
                    Thread.sleep(1500 + random.nextInt(2000)); // a random moment: booting, running or snapshotting
                }
                if (p.alive()) {
                    p.signal("KILL");
                }
                p.exitCode(Duration.ofSeconds(30));
            }
            long next = resumeEpoch(store);
            assertTrue("resume epochs never go back: " + resume + " then " + next, next >= resume);
            resume = next;
        }
        assertTrue("the killed runs made progress: resumes at " + resume, resume > 1);
        try (WaxProcess p = WaxProcess.start(home, LAST, args(store, out, finalWorkers, extra))) {
            runs.add(new RunInfo(p.pid(), resume));
            assertEquals(p.err(), 0, p.exitCode(Duration.ofMinutes(3)));
        }
        List<String> union = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            long cut = i + 1 < runs.size() ? runs.get(i + 1).resumedAt() : Long.MAX_VALUE;
            union.addAll(lines(out, runs.get(i).pid(), cut));
        }
        assertEquals("the union of outputs, each run cut at the next one's resume epoch", expected().size(), union.size());
        assertEquals(multiset(expected()), multiset(union));
    }

    static Map<String, Long> multiset(List<String> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : lines) {
            m.merge(line, 1L, Long::sum);
        }
        return m;
    }

    private static String[] args(Path store, Path out, int workers, List<String> extra) {
        List<String> a = new ArrayList<>(List.of("run", "counting(" + N + ", \"" + out + "\")", "-w" + workers,
                "-r", store.toString(), "--epoch-interval", "100ms"));
        a.addAll(extra);
        return a.toArray(new String[0]);
    }

    private static void init(Path store) throws Exception {
        init(home, store, 3);
    }

    static void init(Path home, Path store) throws Exception {
        init(home, store, 3);
    }

    static void init(Path home, Path store, int partitions) throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of(), "", "recovery", "init", store.toString(), String.valueOf(partitions));
        assertEquals(p.err(), 0, p.exitCode());
    }

    /** The epoch the next run resumes at, from {@code bin/wax recovery info}. */
    private static long resumeEpoch(Path store) throws Exception {
        return resumeEpoch(home, store);
    }

    static long resumeEpoch(Path home, Path store) throws Exception {
        WaxProcess p = WaxProcess.run(home, Map.of(), "", "recovery", "info", store.toString());
        assertEquals(p.err(), 0, p.exitCode());
        for (String line : p.out().split("\\R")) {
            if (line.startsWith("resume epoch: ")) {
                return Long.parseLong(line.substring("resume epoch: ".length()).strip());
            }
        }
        throw new AssertionError("no resume epoch in: " + p.out());
    }

    /** Whether a run has written any line. */
    private static boolean hasOutput(Path out, long pid) {
        try {
            return !lines(out, pid, Long.MAX_VALUE).isEmpty();
        } catch (Exception e) {
            return false; // a file being created: look again
        }
    }

    /** A run's {@code word count} lines of epochs before {@code cut}, over all its workers. */
    static List<String> lines(Path out, long pid, long cut) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("out-" + pid + "-"))::iterator) {
                for (String line : Files.readAllLines(f)) {
                    int space = line.indexOf(' ');
                    if (Long.parseLong(line.substring(0, space)) < cut) {
                        lines.add(line.substring(space + 1));
                    }
                }
            }
        }
        return lines;
    }

    /** What an uninterrupted run prints: each word's running counts, once each. */
    private static List<String> expected() {
        return expected(N);
    }

    /** What an uninterrupted run of {@code counting(n, ...)} prints: each word's running counts, once each. */
    static List<String> expected(long n) {
        long[] perWord = new long[WORDS];
        for (long i = 0; i < n; i++) {
            perWord[(int) (i * 7919 % WORDS)]++;
        }
        List<String> out = new ArrayList<>();
        for (int w = 0; w < WORDS; w++) {
            for (long c = 1; c <= perWord[w]; c++) {
                out.add("w" + w + " " + c);
            }
        }
        return out;
    }
}
