package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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

        // The heap through WAX_JAVA_EXTRA_OPTS, which the error itself advises: added to bin/wax's options.
        WaxProcess hog = wax(Map.of("WAX_JAVA_EXTRA_OPTS", "-Xmx64m"), "", "run", "hog");
        String oom = fails(1, hog);
        assertTrue(oom, oom.startsWith("wax: flow 'hog' ran out of memory in step 'hog.grow"));
        assertTrue(oom, oom.contains("the heap's limit is 6") && oom.contains(" MB): keep less state per key")); // 64 MB less a survivor space
        assertTrue(oom, oom.contains("e.g. WAX_JAVA_EXTRA_OPTS=-Xmx1g (added to bin/wax's JVM options)"));
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

    /** The run-start checks of a flow's shape (Bytewax's test_dataflow.py), through bin/wax: one line, exit 1. */
    @Test
    public void flowChecksNameTheFlowAndWhatToAdd() throws Exception {
        WaxProcess noInput = wax(Map.of(), "", "run", "no_input");
        assertEquals("wax: flow 'no_input' has no input: add a source with flow.input(\"inp\", source)"
                + " (a flow needs at least one input step)", fails(1, noInput));
        assertEquals(noInput.err(), 1, noInput.err().lines().count());

        WaxProcess noOutput = wax(Map.of(), "", "run", "no_output", "-w2");
        assertEquals("wax: flow 'no_output' has no output: end a stream with output(\"out\", sink) or inspect(\"look\", fn)"
                + " (a flow needs at least one output or inspect step)", fails(1, noOutput));
        assertEquals(noOutput.err(), 1, noOutput.err().lines().count());

        WaxProcess badScope = wax(Map.of(), "", "run", "bad_scope");
        String error = fails(1, badScope);
        assertTrue(error, error.startsWith("wax: flow 'bad_scope' could not be built: inconsistent stream scoping:"
                + " step 'bad_scope.op.merge' is in scope 'bad_scope.op' but uses stream 'bad_scope.b.down' of scope"
                + " 'bad_scope'; inside a nested operator, bring outer streams in with stream.inScopeOf(up), or call the"
                + " operator from the outer scope"));
        assertTrue(error, error.contains("(at io.wax.itests.faulty.BadScope.build(BadScope.java:"));
        assertEquals(badScope.err(), 1, badScope.err().lines().count());
        assertEquals("nothing ran", "", noInput.out() + noOutput.out() + badScope.out());
    }

    /**
     * A file the process may not read, and an output directory it may not write, in the shipped
     * csv_totals example. The build runs as root, who may read and write anything, so as root the
     * whole bin/wax process runs as the unprivileged user nobody (setpriv), in a copy of the
     * distribution it owns.
     */
    @Test
    public void unreadableAndUnwritableFilesAsAnotherUser() throws Exception {
        Path root = TMP.newFolder("other-user").toPath();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path own = home;
        List<String> prefix = List.of();
        if (asRoot) {
            own = WaxProcess.copyOfDistribution(root);
            assertEquals(0, new ProcessBuilder("chown", "-R", "65534:65534", own.toString()).inheritIO().start().waitFor());
            // The temporary folders are private to root; nobody must reach the files within.
            Files.setPosixFilePermissions(TMP.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            prefix = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        }
        Path sales = root.resolve("sales.csv");
        Files.writeString(sales, "region,amount\nnorth,3\nsouth,4\n");
        Files.setPosixFilePermissions(sales, PosixFilePermissions.fromString("---------"));
        String error = fails(1, as(prefix, own, "run", "csv_totals(\"" + sales + "\", \"" + root.resolve("out") + "\")"));
        assertTrue(error, error.startsWith("wax: flow 'csv_totals' failed in step 'csv_totals.inp'"));
        assertTrue(error, error.contains("CSV source: cannot read " + sales + " (permission denied); make it readable"));

        Files.setPosixFilePermissions(sales, PosixFilePermissions.fromString("rw-r--r--"));
        Path readOnly = Files.createDirectory(root.resolve("read-only"));
        // Root's own directory is read-only for nobody; for a user running the build, one without write permission.
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString(asRoot ? "rwxr-xr-x" : "r-xr-xr-x"));
        error = fails(1, as(prefix, own, "run", "csv_totals(\"" + sales + "\", \"" + readOnly + "\")"));
        assertTrue(error, error.startsWith("wax: flow 'csv_totals' failed in step 'csv_totals.out'"));
        assertTrue(error, error.contains("dir sink: the directory " + readOnly + " is not writable; make it writable, or give another"));
    }

    /** bin/wax in {@code home}, run by {@code prefix} (setpriv as root, nothing otherwise), with empty stdin. */
    private static WaxProcess as(List<String> prefix, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("env", "--default-signal=HUP,INT,TERM", home.resolve("bin/wax").toString()));
        cmd.addAll(List.of(args));
        WaxProcess p = WaxProcess.command(home, Map.of(), cmd);
        p.closeInput();
        p.exitCode(Duration.ofMinutes(1));
        return p;
    }
}
