package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What a new user does with {@code io.wax:wax-flow-archetype}: generate a project, build it
 * offline against the local repository this build filled, drop the bundle into the
 * {@code deploy/} folder of a running Wax and run its flow from the shell. Maven runs as a child
 * process (the one running this build), with the same local repository.
 */
public class ArchetypeTest {
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aGeneratedProjectBuildsOfflineAndItsFlowRunsInWax() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        maven(work, "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("wax.archetype.plugin.version") + ":generate",
                "-DarchetypeGroupId=io.wax", "-DarchetypeArtifactId=wax-flow-archetype",
                "-DarchetypeVersion=" + System.getProperty("wax.version"),
                "-DgroupId=com.example", "-DartifactId=my-flows", "-Dversion=1.0.0", "-Dpackage=com.example.flows",
                "-DinteractiveMode=false");
        Path project = work.resolve("my-flows");
        assertTrue(Files.isRegularFile(project.resolve("src/main/java/com/example/flows/Squares.java")));
        assertTrue(Files.readString(project.resolve("README.md")).contains("deploy/"));

        String build = maven(project, "package");
        assertTrue("the generated unit test ran: " + build, build.contains("Tests run: 3, Failures: 0, Errors: 0"));
        Path jar = project.resolve("target/my-flows-1.0.0.jar");
        assertTrue(build, Files.isRegularFile(jar));

        Path home = WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            shell.send("wax:flows\n");
            Await.until(TIMEOUT, () -> shell.out().contains("wordcount"), shell::out);
            ShellTest.drop(jar, home.resolve("deploy/my-flows.jar"));
            // FileInstall polls deploy/ every 500 ms: re-run until the flow is there.
            Await.until(TIMEOUT, Duration.ofMillis(300), () -> {
                ShellTest.send(shell, "wax:run 'squares(4)' -w2\n");
                return shell.outLines().containsAll(List.of("0", "1", "4", "9"));
            }, shell::out);
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
    }

    /** Runs Maven offline in {@code dir} with this build's local repository; returns its output. */
    private static String maven(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(), "-B", "-o",
                "-Dmaven.repo.local=" + System.getProperty("org.ops4j.pax.url.mvn.localRepository")));
        cmd.addAll(List.of(args));
        try (WaxProcess mvn = WaxProcess.command(dir, Map.of("JAVA_HOME", System.getProperty("java.home")), cmd)) {
            int exit = mvn.exitCode(MAVEN_TIMEOUT);
            assertEquals(String.join(" ", cmd) + "\n" + mvn.out() + mvn.err(), 0, exit);
            return mvn.out();
        }
    }
}
