package io.wax.itests;

import static org.junit.Assert.assertEquals;
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

            int before = shell.out().length();
            Files.delete(deployed);
            Await.until(DEPLOY_TIMEOUT, POLL, () -> {
                send(shell, "wax:run 'hello(\"you\")'\n");
                return shell.out().substring(before).contains("no flow named 'hello' is deployed");
            }, shell::out);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
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
