package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Bad input to real {@code bin/wax} processes: each gets a one-paragraph error naming what is wrong
 * and the documented exit code (docs/errors.md lists them), never a stack trace or a hang.
 */
public class BadInputTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static Path home;

    @BeforeClass
    public static void copyDistribution() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        Files.copy(ExamSetup.testFlow("faulty"), home.resolve("deploy/faulty.jar"));
    }

    private static WaxProcess wax(Map<String, String> env, String stdin, String... args) throws Exception {
        return WaxProcess.run(home, env, stdin, args);
    }

    /** Exit code, and the first line of stderr; no stack trace anywhere on it. */
    private static String fails(int code, WaxProcess p) throws Exception {
        assertEquals(p.err(), code, p.exitCode());
        assertFalse(p.err(), p.err().contains("\tat ") || p.err().contains("Exception in thread"));
        return p.err().lines().findFirst().orElse("");
    }

    @Test
    public void badCommandLinesExit2() throws Exception {
        assertEquals("wax: bad flow getter 'parametric(3': expected ',' or ')' at the end (write NAME or NAME(arg, ...),"
                + " e.g. parametric(10))", fails(2, wax(Map.of(), "", "run", "parametric(3")));
        assertEquals("wax: -w/--workers-per-process is given twice ('-w2' and '-w3'); give it once",
                fails(2, wax(Map.of(), "", "run", "simple", "-w2", "-w3")));
        assertEquals("wax: flows takes no arguments, got simple", fails(2, wax(Map.of(), "", "flows", "simple")));
        assertTrue(fails(2, wax(Map.of(), "", "run", "")).startsWith("wax: the flow getter is empty"));
        assertTrue(fails(2, wax(Map.of(), "", "run", "simple", "-r", "")).startsWith("wax: -r/--recovery-directory is empty"));
        assertTrue(fails(2, wax(Map.of(), "", "run", "simple", "-w", "5000"))
                .startsWith("wax: -w/--workers-per-process is too large: at most 256 workers per process, got 5000"));
        assertEquals("wax: -w/--workers-per-process is too large: got 99999999999",
                fails(2, wax(Map.of(), "", "run", "simple", "-w", "99999999999")));
    }

    @Test
    public void configurationFaultsNameTheFileAndLine() throws Exception {
        Path etc = home.resolve("etc");
        Map<String, String> shipped = Map.of("wax.properties", Files.readString(etc.resolve("wax.properties")),
                "logging.properties", Files.readString(etc.resolve("logging.properties")));
        try {
            Files.writeString(etc.resolve("wax.properties"), "# mine\nfelix.fileinstall.poll=\\u12x4\n");
            assertEquals("wax: etc/wax.properties line 2: malformed escape '\\u12x4': write \\u and four hex digits, or \\\\"
                    + " for a backslash", fails(1, wax(Map.of(), "", "run", "simple")));
            Files.writeString(etc.resolve("wax.properties"), "felix.fileinstall.poll 500\n");
            assertTrue(fails(1, wax(Map.of(), "", "flows")).startsWith("wax: etc/wax.properties line 1: 'felix.fileinstall.poll"
                    + " 500' is not KEY=VALUE"));
            Files.writeString(etc.resolve("wax.properties"), "org.osgi.framework.storage=" + etc.resolve("logging.properties/x") + "\n");
            assertTrue(fails(1, wax(Map.of(), "", "run", "simple")).startsWith("wax: cannot use " + etc.resolve("logging.properties/x")
                    + " as the framework's storage folder (Not a directory); set org.osgi.framework.storage in etc/wax.properties"));
            Files.writeString(etc.resolve("wax.properties"), shipped.get("wax.properties"));

            Files.writeString(etc.resolve("logging.properties"), "level=LOUD\n");
            assertTrue(fails(1, wax(Map.of(), "", "run", "simple")).startsWith("wax: etc/logging.properties line 1: unknown level 'LOUD'"));
            Files.writeString(etc.resolve("logging.properties"), "level=INFO\nlogger.io.wax\n");
            assertTrue(fails(1, wax(Map.of(), "", "flows")).startsWith("wax: etc/logging.properties line 2: 'logger.io.wax' is not KEY=VALUE"));
        } finally {
            for (Map.Entry<String, String> e : shipped.entrySet()) {
                Files.writeString(etc.resolve(e.getKey()), e.getValue());
            }
        }
    }

    @Test
    public void aMalformedGoshProfileStopsTheShellWithItsLine() throws Exception {
        Path profile = home.resolve("etc/gosh_profile");
        String shipped = Files.readString(profile);
        try {
            Files.writeString(profile, "prompt = 'wax> '\ntry {\n  echo {\n");
            WaxProcess shell = wax(Map.of(), "flows\n");
            fails(1, shell);
            assertEquals(List.of("wax: etc/gosh_profile line 4: syntax error (column 1): unexpected EOT looking for '}; fix it,"
                    + " or restore the shipped file from the distribution's archive"),
                    shell.err().lines().filter(l -> l.startsWith("wax: ")).toList());
            assertEquals("", shell.out());
        } finally {
            Files.writeString(profile, shipped);
        }
    }

    @Test
    public void aGoshProfileCommandThatFailsStopsTheShellWithItsLine() throws Exception {
        Path profile = home.resolve("etc/gosh_profile");
        String shipped = Files.readString(profile);
        try {
            // A line added after the shipped try { ... } block: Gogo printed its stack trace and exited 0.
            Files.writeString(profile, shipped + "frobnicate --now\n");
            int line = (int) shipped.lines().count() + 1;
            WaxProcess shell = wax(Map.of(), "flows\n");
            fails(1, shell);
            assertEquals(List.of("wax: etc/gosh_profile line " + line + ": 'frobnicate --now' failed: there is no command"
                    + " 'frobnicate'; fix or remove it (a command that may fail belongs inside the profile's try { ... } block,"
                    + " which reports the failure and goes on), or restore the shipped file from the distribution's archive"),
                    shell.err().lines().filter(l -> l.startsWith("wax: ")).toList());
            assertFalse("the shell did not go on to read commands: " + shell.out(), shell.out().contains("BUNDLE"));
        } finally {
            Files.writeString(profile, shipped);
        }
    }

    @Test
    public void everyCommandTakesHelp() throws Exception {
        for (String command : List.of("flows", "describe", "status", "recovery", "run", "spawn")) {
            WaxProcess p = wax(Map.of(), "", command, "--help");
            assertEquals(p.err(), 0, p.exitCode());
            assertTrue(p.out(), p.out().startsWith("usage: wax " + command));
            assertEquals("", p.err());
        }
    }

    @Test
    public void aTruncatedClassDataArchiveIsRecordedAgain() throws Exception {
        WaxProcess first = wax(Map.of(), "", "run", "simple");
        assertEquals(first.err(), 0, first.exitCode());
        Path jsa = archive();
        long size = Files.size(jsa);
        try (var ch = java.nio.channels.FileChannel.open(jsa, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        WaxProcess again = wax(Map.of(), "", "run", "simple");
        assertEquals(again.err(), 0, again.exitCode());
        assertEquals(List.of("1", "2", "3"), HeadlessTest.sorted(again.outLines()));
        assertEquals("recorded anew", size, Files.size(archive()), size / 10.0);
        try (Stream<Path> crashes = Stream.concat(Files.list(home), Files.list(TMP.getRoot().toPath()))) {
            assertEquals(List.of(), crashes.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList());
        }
    }

    private static Path archive() throws IOException {
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            return lib.filter(p -> p.getFileName().toString().endsWith(".jsa")).findFirst()
                    .orElseThrow(() -> new AssertionError("no class-data archive in lib/"));
        }
    }

    @Test
    public void boundsFailTheRunNamingTheLimit() throws Exception {
        WaxProcess line = wax(Map.of("WAX_STDIN_MAX_LINE", "100"), "a b\n" + "x".repeat(150) + "\n", "run", "wordcount");
        String error = fails(1, line);
        assertTrue(error, error.contains("line 2 of standard input is longer than 100 characters, the stdin source's limit"
                + " (set WAX_STDIN_MAX_LINE, or StdInSource's maxLine, to raise it)"));
        assertEquals("what was read before it is printed", List.of("a 1", "b 1"), HeadlessTest.sorted(line.outLines()));

        WaxProcess hog = wax(Map.of("WAX_JAVA_OPTS", "-Xmx64m"), "", "run", "hog");
        assertTrue(hog.err(), fails(1, hog).startsWith("wax: flow 'hog' ran out of memory in step 'hog.grow"));
    }

    @Test
    public void aFlowCannotEndTheProcess() throws Exception {
        for (String how : List.of("exit", "halt")) {
            String error = fails(1, wax(Map.of(), "", "run", "quitter(\"" + how + "\")"));
            assertTrue(error, error.startsWith("wax: flow 'quitter' failed in step 'quitter.quit"));
            assertTrue(error, error.contains(how.equals("exit") ? "System.exit(3) was called by a flow" : "Runtime.halt(5) was called by a flow"));
            assertTrue(error, error.contains("(at io.wax.itests.faulty.Quitter.quit(Quitter.java:"));
        }
    }
}
