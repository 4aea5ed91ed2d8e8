package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What deploy/ holds decides what runs, whatever order the files are seen in: the highest version
 * of a bundle, never a copy of it; a flow name offered twice is a conflict; a file that is not a
 * bundle is listed as broken.
 */
public class DeployTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private Path home() throws IOException {
        return WaxProcess.copyOfDistribution(tmp.getRoot().toPath());
    }

    @Test
    public void theHighestVersionRunsAndTheLogNamesTheJarsIgnored() throws Exception {
        Path home = home();
        Path deploy = home.resolve("deploy");
        Files.copy(ExamSetup.testFlow("hello-v2"), deploy.resolve("hello-2.jar"));
        Files.copy(ExamSetup.testFlow("hello-v1"), deploy.resolve("hello-1.jar"));
        // A copy of v2 under a name that sorts first, and newer: the original stays.
        Files.copy(ExamSetup.testFlow("hello-v2"), deploy.resolve("a-copy.jar"));
        Files.setLastModifiedTime(deploy.resolve("hello-2.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        WaxProcess flows = WaxProcess.run(home, Map.of(), "", "flows");
        assertEquals(flows.err(), 0, flows.exitCode());
        List<String> hello = flows.outLines().stream().filter(l -> l.startsWith("hello")).toList();
        assertEquals(flows.out(), 1, hello.size());
        assertTrue(hello.get(0), hello.get(0).matches("hello\\(String who\\)\\s+io.wax.itests.hello 2.0.0\\s+ready"));
        WaxProcess run = WaxProcess.run(home, Map.of(), "", "run", "hello(\"you\")");
        assertEquals(run.err(), 0, run.exitCode());
        assertEquals(List.of("hello you from v2"), run.outLines());
        assertEquals("nothing about deploy/ on stderr of a headless command", "", run.err());
        String log = Files.readString(home.resolve("log/wax.log"));
        assertTrue(log, log.contains("deploy/hello-1.jar is ignored: deploy/hello-2.jar has a higher version of"
                + " io.wax.itests.hello (2.0.0 over 1.0.0)"));
        assertTrue(log, log.contains("deploy/a-copy.jar is ignored: it is another copy of io.wax.itests.hello 2.0.0, which"
                + " deploy/hello-2.jar provides"));
    }

    @Test
    public void twoBundlesOfferingOneFlowNameAreAConflictForBoth() throws Exception {
        Path home = home();
        Files.copy(ExamSetup.testFlow("hello-v1"), home.resolve("deploy/hello.jar"));
        rewrite(ExamSetup.testFlow("hello-v1"), home.resolve("deploy/other.jar"),
                m -> m.getMainAttributes().putValue("Bundle-SymbolicName", "io.wax.itests.other"));
        String conflict = "the flow name 'hello' is offered by 2 flows: io.wax.itests.hello 1.0.0 (deploy/hello.jar) and"
                + " io.wax.itests.other 1.0.0 (deploy/other.jar); remove all but one of them from deploy/";
        WaxProcess flows = WaxProcess.run(home, Map.of(), "", "flows");
        assertEquals(flows.err(), 0, flows.exitCode());
        assertEquals(flows.out(), 2, flows.outLines().stream().filter(l -> l.endsWith("broken: " + conflict)).count());
        WaxProcess run = WaxProcess.run(home, Map.of(), "", "run", "hello(\"you\")");
        assertEquals(1, run.exitCode());
        assertEquals("wax: " + conflict + "\n", run.err());
    }

    @Test
    public void filesThatAreNotBundlesAreListedAsBrokenWithOneLogLineEach() throws Exception {
        Path home = home();
        Path deploy = home.resolve("deploy");
        byte[] good = Files.readAllBytes(ExamSetup.testFlow("hello-v1"));
        Files.write(deploy.resolve("empty.jar"), new byte[0]);
        Files.write(deploy.resolve("truncated.jar"), java.util.Arrays.copyOf(good, good.length / 2));
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Files.write(deploy.resolve("random.jar"), noise);
        Files.writeString(deploy.resolve("text.jar"), "not a jar at all\n");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(deploy.resolve("nomanifest.jar")))) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write('a');
        }
        rewrite(ExamSetup.testFlow("hello-v1"), deploy.resolve("nobsn.jar"),
                m -> m.getMainAttributes().remove(new Attributes.Name("Bundle-SymbolicName")));
        rewrite(ExamSetup.testFlow("hello-v1"), deploy.resolve("badversion.jar"),
                m -> m.getMainAttributes().putValue("Bundle-Version", "1.x"));
        rewrite(ExamSetup.testFlow("hello-v1"), deploy.resolve("badmanifest.jar"), m -> {
            m.getMainAttributes().putValue("Bundle-SymbolicName", "io.wax.itests.bad");
            m.getMainAttributes().putValue("Import-Package", "io.wax.api;version=\"[1,\"");
        });
        WaxProcess flows = WaxProcess.run(home, Map.of(), "", "flows");
        assertEquals(flows.err(), 0, flows.exitCode());
        assertEquals("no raw OSGi or FileInstall text, and no repeated warnings", "", flows.err());
        Map<String, String> expected = Map.of(
                "empty.jar", "the file is empty",
                "truncated.jar", "not a jar file, or a truncated one",
                "random.jar", "not a jar file, or a truncated one",
                "text.jar", "not a jar file, or a truncated one",
                "nomanifest.jar", "no META-INF/MANIFEST.MF: not an OSGi bundle",
                "nobsn.jar", "no Bundle-SymbolicName in its manifest: not an OSGi bundle",
                "badversion.jar", "bad Bundle-Version '1.x'",
                "badmanifest.jar", "the framework refuses its manifest: ");
        String log = Files.readString(home.resolve("log/wax.log"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String row = "broken: " + e.getKey() + ": " + e.getValue();
            assertTrue(row + " in\n" + flows.out(), flows.out().contains(row));
            assertEquals(e.getKey() + " in the log:\n" + log, 1, log.lines()
                    .filter(l -> l.contains("deploy/" + e.getKey() + " is broken: " + e.getValue())).count());
        }
        WaxProcess run = WaxProcess.run(home, Map.of(), "", "run", "simple");
        assertEquals(run.err(), 0, run.exitCode());
        assertEquals("", run.err());
    }

    @Test
    public void deletingACopyLeavesTheFlowDeployed() throws Exception {
        Path home = home();
        Path deploy = home.resolve("deploy");
        Files.copy(ExamSetup.testFlow("hello-v1"), deploy.resolve("hello.jar"));
        try (WaxProcess shell = WaxProcess.start(home, Map.of())) {
            Path log = home.resolve("log/wax.log");
            // The copy comes once the first has been installed: copied before the first scan, the
            // two were seen together, and the first one in that scan's order was kept instead.
            Await.until(TIMEOUT, () -> read(log).contains("from deploy/hello.jar"), () -> read(log));
            Files.copy(ExamSetup.testFlow("hello-v1"), deploy.resolve("hello-copy.jar"));
            Await.until(TIMEOUT, () -> read(log).contains("deploy/hello-copy.jar is ignored"), () -> read(log));
            Files.delete(deploy.resolve("hello-copy.jar"));
            // FileInstall handles the deletion in the scan that sees the marker, or an earlier one.
            Files.write(deploy.resolve("marker.jar"), new byte[0]);
            Await.until(TIMEOUT, () -> read(log).contains("deploy/marker.jar is broken"), () -> read(log));
            shell.send("wax:run 'hello(\"you\")'\n");
            Await.until(TIMEOUT, () -> shell.outLines().contains("hello you from v1"), () -> shell.out() + shell.err());
            String before = read(log);
            assertFalse(before, before.contains("flow 'hello' from bundle io.wax.itests.hello is gone"));
            shell.send("exit\n");
            assertEquals(shell.err(), 0, shell.exitCode(TIMEOUT));
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Copies a jar with its manifest changed. */
    private static void rewrite(Path from, Path to, Consumer<Manifest> change) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
            Manifest m = new Manifest(in.getManifest());
            change.accept(m);
            try (OutputStream fo = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(fo, m)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }
}
