package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The interactive shell ({@code bin/wax} without arguments) driven through its stdin. */
public class ShellTest {
    static final String PROMPT = "wax> ";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** How long a dropped jar may take to become runnable (FileInstall polls every 500 ms). */
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(5);

    /** How often a test re-sends a command: each run takes a moment, so do not queue up hundreds. */
    private static final Duration POLL = Duration.ofMillis(200);

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void runsAFlowAndExits() throws Exception {
        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("wax:run simple -w3\n");
            Await.until(TIMEOUT, () -> shell.outLines().containsAll(List.of("1", "2", "3")), shell::out);
            Await.until(TIMEOUT, () -> shell.out().endsWith(PROMPT), shell::out);
            shell.send("run 'parametric(2)'\n");
            Await.until(TIMEOUT, () -> Collections.frequency(shell.outLines(), "2") == 2, shell::out);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
            List<String> lines = shell.outLines();
            assertEquals(shell.out(), 2, Collections.frequency(lines, "1"));
            assertEquals(shell.out(), 1, Collections.frequency(lines, "3"));
        }
    }

    @Test
    public void aFlowReadsTheKeyboardUntilCtrlDAndTheShellGetsItBack() throws Exception {
        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("wax:run wordcount -w2\n");
            shell.send("a b a\n");
            shell.send("b a\n\u0004");
            Await.until(TIMEOUT, () -> shell.outLines().contains("a 3") && shell.outLines().contains("b 2"), shell::out);
            // Typed after the run: must reach the shell, not a stdin reader left behind by the run.
            shell.send("wax:run simple -w3\n");
            Await.until(TIMEOUT, () -> shell.outLines().containsAll(List.of("1", "2", "3")), shell::out);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
            assertEquals(shell.out(), 0, Collections.frequency(shell.outLines(), "wax:run 1"));
        }
    }

    @Test
    public void endOfInputEndsTheShell() throws Exception {
        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("wax:flows\n");
            shell.closeInput();
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
            assertTrue(shell.out(), shell.out().contains("parametric(int n)"));
        }
    }

    @Test
    public void aJarDroppedIntoDeployIsRunnableThenUpdatedThenRemoved() throws Exception {
        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        Path deployed = home.resolve("deploy/hello.jar");
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("wax:flows\n");
            Await.until(TIMEOUT, () -> shell.out().contains("wordcount"), shell::out);

            drop(ExamSetup.testFlow("hello-v1"), deployed);
            Duration took = untilOutput(shell, "hello you from v1");
            System.out.println("hello v1 runnable " + took.toMillis() + " ms after the copy");

            drop(ExamSetup.testFlow("hello-v2"), deployed);
            untilOutput(shell, "hello you from v2");

            // Errors go to stderr when the shell reads a pipe.
            int before = shell.err().length();
            Files.delete(deployed);
            Await.until(DEPLOY_TIMEOUT, POLL, () -> {
                send(shell, "wax:run 'hello(\"you\")'\n");
                return shell.err().substring(before).contains("no flow named 'hello' is deployed");
            }, shell::err);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
    }

    @Test
    public void aFlowCallingSystemExitFailsAndTheShellStays() throws Exception {
        Path home = withFaultyFlows();
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("run 'quitter(\"exit\")'\n");
            shell.send("run 'quitter(\"halt\")'\n");
            shell.send("run simple\n");
            Await.until(TIMEOUT, () -> shell.outLines().containsAll(List.of("2", "3")), () -> shell.out() + shell.err());
            assertTrue(shell.err(), shell.err().contains("System.exit(3) was called by a flow, which must not end the Wax process"));
            assertTrue(shell.err(), shell.err().contains("Runtime.halt(5) was called by a flow"));
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
    }

    @Test
    public void ctrlCStopsARunGracefullyAndAStuckOneWithinTwoSeconds() throws Exception {
        Path home = withFaultyFlows();
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            // A healthy run reading the keyboard: Ctrl-C closes its epoch, what it counted is printed.
            shell.send("run wordcount\n");
            shell.send("a b a\n");
            Await.until(TIMEOUT, () -> shell.outLines().contains("a 2"), shell::out);
            shell.signal("INT");
            // The prompt again: the run is over, and its stdin reader no longer takes the lines sent.
            Await.until(TIMEOUT, () -> shell.out().endsWith(PROMPT), shell::out);
            shell.send("run simple\n");
            Await.until(TIMEOUT, () -> shell.outLines().contains("3"), () -> shell.out() + shell.err());

            // A run stuck in user code: reported with its step, worker and stack; the prompt comes back.
            int ones = Collections.frequency(shell.outLines(), "1");
            shell.send("run stuck\n");
            Await.until(TIMEOUT, () -> Collections.frequency(shell.outLines(), "1") > ones, shell::out);
            // In user code for good: a Ctrl-C before that would stop it gracefully, between its two items.
            Await.until(TIMEOUT, () -> shell.outLines().contains("spinning"), shell::out);
            int before = shell.out().length();
            long start = System.nanoTime();
            shell.signal("INT");
            Await.until(TIMEOUT, Duration.ofMillis(10), () -> shell.err().contains("its thread wax-stuck-worker-0 was at:"),
                    shell::err);
            System.out.println("stuck run reported " + (System.nanoTime() - start) / 1_000_000 + " ms after Ctrl-C");
            assertTrue(shell.err(), shell.err().contains("wax:run: flow 'stuck' did not stop:\n  worker 0 is stuck in step"
                    + " 'stuck.spin.flat_map_batch' (user function lambda in io.wax.itests.faulty.Stuck)"));
            assertTrue(shell.err(), shell.err().contains("    at io.wax.itests.faulty.Stuck.spin(Stuck.java:"));
            Await.until(TIMEOUT, () -> shell.out().endsWith(PROMPT), shell::out);
            shell.send("run 'parametric(2)'\n");
            Await.until(TIMEOUT, () -> shell.out().substring(before).contains("2"), shell::out);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
    }

    @Test
    public void waxMessagesReplaceGogosAndGoToStderrInAPipe() throws Exception {
        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("flows extra\n");
            shell.send("run parametric(2)\n");
            shell.send("flow\n");
            shell.send("help\n");
            shell.send("run nosuch\n");
            shell.closeInput();
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
            assertEquals(List.of(
                    "wax:flows: takes no arguments, got extra",
                    "wax: a getter with parentheses must be quoted for the shell; running: run 'parametric(2)'",
                    "wax: unknown command 'flow'; type help for the commands"), shell.err().lines().limit(3).toList());
            assertTrue(shell.err(), shell.err().contains("wax:run: no flow named 'nosuch' is deployed"));
            assertTrue(shell.out(), shell.outLines().containsAll(List.of("1", "2")));
            assertTrue(shell.out(), shell.out().contains("Wax commands (the wax: prefix is optional):\n  run GETTER"));
            assertTrue(shell.out(), shell.out().indexOf("Wax commands") < shell.out().indexOf("felix: "));
            for (String raw : List.of("Cannot coerce", "no matches found", "CommandNotFoundException", "no flow named")) {
                assertFalse(raw + " on stdout: " + shell.out(), shell.out().contains(raw));
            }
        }
    }

    private Path withFaultyFlows() throws java.io.IOException {
        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("faulty"), home.resolve("deploy/faulty.jar"));
        return home;
    }

    /** Re-runs the hello flow until its output shows up; a run before deployment just fails. */
    private static Duration untilOutput(WaxProcess shell, String expected) {
        int before = shell.out().length();
        return Await.until(DEPLOY_TIMEOUT, POLL, () -> {
            send(shell, "wax:run 'hello(\"you\")'\n");
            return shell.out().substring(before).contains(expected);
        }, shell::out);
    }

    static void send(WaxProcess shell, String line) {
        try {
            shell.send(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("the shell's stdin is closed: " + shell.out(), e);
        }
    }

    /** Copy next to the target, then rename: FileInstall never sees a half-written jar. */
    static void drop(Path jar, Path target) throws java.io.IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
