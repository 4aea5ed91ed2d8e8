package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Live swaps in a cluster of two whole processes (README, "Updating a running flow", "In a
 * cluster"): two {@code bin/wax} shells, each with its own copy of the distribution, run the
 * stateful {@code livecount} flow as processes 0 and 1 of one cluster with a shared {@code -r}
 * store. The gRPC transport is updated in process 0 ({@code wax:update}), then in process 1, then
 * the flow bundle is replaced in process 0's {@code deploy/} and, once process 0 waits for the
 * cluster to form again, in process 1's. Every swap must resume both processes after the same
 * epoch, build 2's code must write what follows, and the output must be exactly an uninterrupted
 * run's: nothing lost, nothing repeated.
 */
public class ClusterSwapTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long ITEMS = 300_000; // about 30 s at the fixture's pace

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theTransportAndThenTheFlowAreSwappedInBothProcessesOfACluster() throws Exception {
        Path[] homes = new Path[2];
        for (int p = 0; p < 2; p++) {
            homes[p] = WaxProcess.copyOfDistribution(tmp.newFolder("p" + p).toPath());
            Files.copy(ExamSetup.testFlow("live-v1"), homes[p].resolve("deploy/wax-itests-live.jar"));
        }
        Path out = tmp.newFolder("out").toPath();
        Path state = tmp.getRoot().toPath().resolve("state");
        String addresses = "127.0.0.1:" + ObservabilityTest.freePort() + ";127.0.0.1:" + ObservabilityTest.freePort();
        try (WaxProcess p0 = WaxProcess.start(homes[0], Map.of()); WaxProcess p1 = WaxProcess.start(homes[1], Map.of())) {
            WaxProcess[] shells = {p0, p1};
            startCluster(shells, out, state, addresses);
            awaitLines(out, "v1");

            // The transport: a user's wax:update in each process, one after the other.
            for (int p = 0; p < 2; p++) {
                String jar = homes[p].resolve("bundle/wax-transport-grpc.jar").toString();
                int before = shells[p].out().length();
                shells[p].send("wax:update io.wax.transport.grpc " + jar + "\n");
                WaxProcess s = shells[p];
                Await.until(TIMEOUT, () -> s.out().substring(before).contains("flow 'livecount': ")
                        && s.out().substring(before).contains("\n" + ShellTest.PROMPT), () -> s.out() + s.err());
                String report = s.out().substring(before);
                assertTrue(report + swapLines(homes), report.contains("flow 'livecount': resumed after epoch"));
                assertTrue(report, report.contains("the transport bundle io.wax.transport.grpc"));
                int n = p + 1;
                Await.until(TIMEOUT, () -> resumes(homes[0]).size() == n && resumes(homes[1]).size() == n,
                        () -> "process 0 resumed after " + resumes(homes[0]) + ", process 1 after " + resumes(homes[1]));
                int lines = LiveUpdateTest.lines(out).size();
                Await.until(TIMEOUT, () -> LiveUpdateTest.lines(out).size() > lines, () -> "no output after the transport's swap");
            }

            // The flow: build 2 dropped into process 0's deploy/; process 0 then waits for process 1,
            // whose handshake names the other build, until build 2 reaches its deploy/ too.
            replace(ExamSetup.testFlow("live-v2"), homes[0].resolve("deploy/wax-itests-live.jar"));
            Await.until(TIMEOUT, () -> log(homes[0]).contains("the cluster did not form again yet")
                    || log(homes[1]).contains("the cluster did not form again yet"), () -> log(homes[0]));
            String waiting = log(homes[0]) + log(homes[1]);
            assertTrue(waiting, waiting.contains("from bundle version 2.0.0") || waiting.contains("from 2.0.0"));
            assertFalse("nothing of build 2 runs while process 1 has build 1", LiveUpdateTest.lines(out).stream()
                    .anyMatch(l -> l.endsWith(" v2")));
            replace(ExamSetup.testFlow("live-v2"), homes[1].resolve("deploy/wax-itests-live.jar"));
            awaitLines(out, "v2");
            Await.until(TIMEOUT, () -> resumes(homes[0]).size() == 3 && resumes(homes[1]).size() == 3,
                    () -> "process 0 resumed after " + resumes(homes[0]) + ", process 1 after " + resumes(homes[1]));
            assertEquals("every swap resumed both processes after the same epoch", resumes(homes[0]), resumes(homes[1]));

            for (WaxProcess s : shells) {
                Await.until(Duration.ofMinutes(3), () -> s.out().contains("ended in the background: "), () -> s.out() + s.err());
                s.send("exit\n");
            }
            for (int p = 0; p < 2; p++) {
                assertEquals(shells[p].err(), 0, shells[p].exitCode(TIMEOUT));
                assertFalse("process " + p + ": " + shells[p].err(), shells[p].err().contains("wax:start:"));
            }
        }
        for (int p = 0; p < 2; p++) {
            for (String line : log(homes[p]).split("\\R")) {
                if (line.contains("swap of flow 'livecount': resumed") || line.contains("took")) {
                    System.out.println("process " + p + ": " + line);
                }
            }
        }
        List<String> all = LiveUpdateTest.lines(out);
        assertEquals(LiveUpdateTest.expected(ITEMS), LiveUpdateTest.counts(all));
        assertTrue("build 1 wrote before the flow's swap", all.stream().anyMatch(l -> l.endsWith(" v1")));
    }

    /**
     * Build 2 of the flow reaches only process 0's deploy/: both processes stop after the same
     * epoch and try to form the cluster again until the swap wait (here 5 s) runs out; then each
     * fails with the handshake's difference, naming both builds' versions, and its shell gets the
     * prompt back: nothing hangs. The store keeps the stop epoch for a restart.
     */
    @Test
    public void aFlowUpdatedInOnlyOneProcessFailsBothClearlyAfterTheSwapWait() throws Exception {
        Path[] homes = new Path[2];
        for (int p = 0; p < 2; p++) {
            homes[p] = WaxProcess.copyOfDistribution(tmp.newFolder("p" + p).toPath());
            Files.copy(ExamSetup.testFlow("live-v1"), homes[p].resolve("deploy/wax-itests-live.jar"));
        }
        Path out = tmp.newFolder("out").toPath();
        Path state = tmp.getRoot().toPath().resolve("state");
        String addresses = "127.0.0.1:" + ObservabilityTest.freePort() + ";127.0.0.1:" + ObservabilityTest.freePort();
        Map<String, String> env = Map.of("WAX_JAVA_EXTRA_OPTS", "-Dwax.swap.wait.ms=5000");
        try (WaxProcess p0 = WaxProcess.start(homes[0], env); WaxProcess p1 = WaxProcess.start(homes[1], env)) {
            WaxProcess[] shells = {p0, p1};
            startCluster(shells, out, state, addresses);
            awaitLines(out, "v1");

            replace(ExamSetup.testFlow("live-v2"), homes[0].resolve("deploy/wax-itests-live.jar"));
            long t0 = System.nanoTime();
            for (int p = 0; p < 2; p++) {
                WaxProcess s = shells[p];
                Await.until(TIMEOUT, () -> s.out().contains("ended in the background: "), () -> s.out() + s.err());
                String err = s.err();
                assertTrue("process " + p + ": " + err, err.contains("wax:start: flow 'livecount' (process " + p
                        + " of 2) could not form its cluster: "));
                assertTrue("process " + p + " names the difference and both versions: " + err,
                        err.contains("disagree: flow version: this process (" + p + ") has")
                                && err.contains(p == 0 ? "from bundle version 2.0.0, process 1 from 1.0.0"
                                : "from bundle version 1.0.0, process 0 from 2.0.0"));
                assertTrue(err, err.contains("Update the bundle in every process of the cluster within 5 s of each other"));
            }
            System.out.printf("both processes failed %.1f s after the flow's update in process 0%n", (System.nanoTime() - t0) / 1e9);
            assertFalse(LiveUpdateTest.lines(out).stream().anyMatch(l -> l.endsWith(" v2")));
            for (WaxProcess s : shells) {
                s.send("exit\n");
                assertEquals(s.err(), 0, s.exitCode(TIMEOUT));
            }
        }
        assertEquals(resumes(homes[0]), List.of());
    }

    /** Every process's log lines about swaps, for a failure's message. */
    /** A store of 2 partitions, then livecount in the background of each shell as process 0 and 1 of a cluster with -r. */
    private static void startCluster(WaxProcess[] shells, Path out, Path state, String addresses) throws IOException {
        shells[0].send("wax:recovery init " + state + " 2\n");
        Await.until(TIMEOUT, () -> shells[0].out().contains("created a recovery store"), () -> shells[0].out() + shells[0].err());
        for (int p = 0; p < 2; p++) {
            WaxProcess s = shells[p];
            Await.until(TIMEOUT, Duration.ofMillis(500), () -> {
                send(s, "wax:flows\n");
                return s.out().contains("livecount");
            }, s::out);
            s.send("wax:start 'livecount(" + ITEMS + ", \"" + out + "\")' -w2 --epoch-interval 100ms -i" + p
                    + " -a \"" + addresses + "\" -r " + state + "\n");
        }
    }

    static String swapLines(Path[] homes) {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < homes.length; p++) {
            for (String line : log(homes[p]).split("\\R")) {
                if (line.contains("swap") || line.contains("transport") || line.contains("ERROR") || line.contains("WARN")) {
                    b.append("\nprocess ").append(p).append(": ").append(line);
                }
            }
        }
        return b.toString();
    }

    /** The epochs after which process {@code home}'s swaps resumed, from its log. */
    private static List<Long> resumes(Path home) {
        return resumes(home, "livecount");
    }

    /** The epochs after which process {@code home}'s swaps of {@code flow} resumed, from its log. */
    static List<Long> resumes(Path home, String flow) {
        Pattern resumed = Pattern.compile("swap of flow '" + Pattern.quote(flow) + "': resumed after epoch (\\d+) ");
        List<Long> out = new ArrayList<>();
        Matcher m = resumed.matcher(log(home));
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    static String log(Path home) {
        try {
            Path log = home.resolve("log/wax.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** As an operator replaces a jar: a new file moved over the old one, which FileInstall sees as an update. */
    static void replace(Path jar, Path deployed) throws IOException {
        Path next = deployed.resolveSibling(deployed.getFileName() + ".tmp");
        Files.copy(jar, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, deployed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void send(WaxProcess s, String line) {
        try {
            s.send(line);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitLines(Path out, String build) {
        Await.until(TIMEOUT, () -> LiveUpdateTest.lines(out).stream().anyMatch(l -> l.endsWith(" " + build)),
                () -> "no output of build " + build + " in " + out);
    }
}
