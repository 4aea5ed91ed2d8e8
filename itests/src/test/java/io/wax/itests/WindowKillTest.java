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
 * Window state and timers survive kill -9: the fixture flow {@code windows} (event-time tumbling
 * counts; each key always has windows open) runs on real {@code bin/wax} processes with a RocksDB
 * store, is killed with SIGKILL at random moments and resumed, at 1 and 2 workers. The union of its
 * outputs, each run's cut at the epoch the next run resumed from (as in {@link RecoveryTest}), is
 * exactly an uninterrupted run's windows. The key {@code tail} stops early, so its last window can
 * only close by its timer; that must happen before end of input, not be left for it.
 */
public class WindowKillTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    /** About 25 s of items at the fixture's pace. */
    private static final long N = 250_000;
    private static final long TAIL_END = 30_000;
    private static Path home;
    private final Random random = new Random();

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("recovering"), home.resolve("deploy/recovering.jar"));
    }

    @Test
    public void windowsAndTimersSurviveKillsInTheMiddleOfWindows() throws Exception {
        Path store = TMP.getRoot().toPath().resolve("store");
        Path out = Files.createDirectories(TMP.getRoot().toPath().resolve("out"));
        RecoveryTest.init(home, store);
        List<long[]> runs = new ArrayList<>(); // {pid, resumed at}
        long resume = 1;
        for (int workers : new int[] {1, 2, 1}) {
            try (WaxProcess p = WaxProcess.start(home, Map.of(), args(store, out, workers))) {
                runs.add(new long[] {p.pid(), resume});
                Thread.sleep(2000 + random.nextInt(2000)); // a random moment of the run, not a synchronisation
                assertTrue("run " + runs.size() + " ended before its kill: " + p.err(), p.alive());
                p.signal("KILL");
                p.exitCode(Duration.ofSeconds(30));
            }
            long next = RecoveryTest.resumeEpoch(home, store);
            assertTrue("resume epochs never go back: " + resume + " then " + next, next >= resume);
            resume = next;
        }
        assertTrue("the killed runs made progress, so windows were open at the kills: resumes at " + resume, resume > 1);
        long finalPid;
        try (WaxProcess p = WaxProcess.start(home, Map.of(), args(store, out, 2))) {
            finalPid = p.pid();
            runs.add(new long[] {finalPid, resume});
            assertEquals(p.err(), 0, p.exitCode(Duration.ofMinutes(3)));
        }
        List<String> union = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            long cut = i + 1 < runs.size() ? runs.get(i + 1)[1] : Long.MAX_VALUE;
            union.addAll(RecoveryTest.lines(out, runs.get(i)[0], cut));
        }
        List<String> expected = expected();
        assertEquals("the union of window outputs, each run cut at the next one's resume epoch",
                RecoveryTest.multiset(expected), RecoveryTest.multiset(union));
        assertEquals(expected.size(), union.size());

        // The tail's last window closes by its timer, some 15 s after its last item; end of input
        // comes later. Found in an epoch before the final run's last one, it did not wait for end of input.
        String last = "tail " + (TAIL_END - 1) / 1000 * 1000 + " ";
        long tailEpoch = Long.MAX_VALUE;
        for (long[] run : runs) {
            tailEpoch = Math.min(tailEpoch, epochOf(out, run[0], last));
        }
        long endEpoch = epochOf(out, finalPid, "");
        System.out.println("WindowKillTest: resumes at " + runs.stream().map(r -> String.valueOf(r[1])).toList()
                + "; the tail's last window at epoch " + tailEpoch + ", end of input at epoch " + endEpoch);
        assertTrue("the tail's last window closed at epoch " + tailEpoch + ", not before end of input at epoch " + endEpoch,
                tailEpoch < endEpoch);
    }

    private static String[] args(Path store, Path out, int workers) {
        return new String[] {"run", "windows(" + N + ", \"" + out + "\")", "-w" + workers, "-r", store.toString(),
            "--epoch-interval", "100ms"};
    }

    /**
     * The epoch of a run's line starting with {@code prefix} (after its epoch): the lowest; for an
     * empty prefix, the highest epoch of any line (a finished run's end of input).
     */
    private static long epochOf(Path out, long pid, String prefix) throws Exception {
        long found = prefix.isEmpty() ? Long.MIN_VALUE : Long.MAX_VALUE;
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("out-" + pid + "-"))::iterator) {
                for (String line : Files.readAllLines(f)) {
                    int space = line.indexOf(' ');
                    long epoch = Long.parseLong(line.substring(0, space));
                    if (prefix.isEmpty()) {
                        found = Math.max(found, epoch);
                    } else if (line.startsWith(prefix, space + 1)) {
                        found = Math.min(found, epoch);
                    }
                }
            }
        }
        return found;
    }

    /** An uninterrupted run's lines: every key's count in every 1-s window of event time {@code i} ms. */
    private static List<String> expected() {
        Map<String, Long> counts = new TreeMap<>();
        for (long i = 0; i < N; i++) {
            String key = i < TAIL_END && i % 4 == 0 ? "tail" : "k" + (i % 2);
            counts.merge(key + " " + i / 1000 * 1000, 1L, Long::sum);
        }
        List<String> lines = new ArrayList<>();
        counts.forEach((window, count) -> lines.add(window + " " + count));
        return lines;
    }
}
