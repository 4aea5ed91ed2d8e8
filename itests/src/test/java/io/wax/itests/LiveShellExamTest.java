package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import io.wax.runtime.RunArgs;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The shell's side of live updates in a real Felix with the Gogo runtime and the wax-shell bundle:
 * {@code wax:update} (from a jar file and from a URL) swaps a running flow and prints each run's
 * outcome, and {@code wax:status} shows a swap in progress with its phase. Commands go through
 * Gogo's own {@code CommandProcessor}, as typed at the prompt.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LiveShellExamTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    private WaxRuntime runtime;

    @Inject
    private BundleContext context;

    private Thread runner;

    @Configuration
    public Option[] config() throws IOException {
        List<Option> o = new ArrayList<>(Arrays.asList(ExamSetup.options()));
        // The shell's bundles without JLine (optional for wax-shell): Gogo's runtime and the wax: commands.
        for (String jar : List.of("org.apache.felix.gogo.runtime.jar", "org.apache.felix.gogo.command.jar", "wax-shell.jar")) {
            o.add(bundle(ExamSetup.dist().resolve("bundle/shell/" + jar).toUri().toString()));
        }
        return o.toArray(new Option[0]);
    }

    @After
    public void joinRunner() throws InterruptedException {
        if (runner != null) {
            runner.join(TIMEOUT.toMillis());
        }
    }

    @Test
    public void waxUpdateSwapsARunningFlowFromAFileAndFromAUrl() throws Exception {
        deploy();
        Path out = Files.createTempDirectory("wax-live-shell");
        AtomicReference<Throwable> failed = start(out, 60_000);
        awaitLines(out, "v1");

        String engineJar = ExamSetup.dist().resolve("bundle/wax-engine.jar").toString();
        String report = gogo("wax:update io.wax.engine " + engineJar);
        assertTrue(report, report.matches("(?s)updated io\\.wax\\.engine \\S+ -> \\S+ in [0-9.]+ s\\R"
                + "flow 'livecount': resumed after epoch \\d+ in [0-9.]+ s \\(the engine bundle io\\.wax\\.engine .*\\)"
                + "; runs on engine io\\.wax\\.engine \\S+ built \\S+, flow io\\.wax\\.itests\\.live 1\\.0\\.0 .*"));

        String url = ExamSetup.testFlow("live-v2").toUri().toURL().toString();
        assertTrue(url, url.startsWith("file:"));
        report = gogo("wax:update io.wax.itests.live " + url);
        assertTrue(report, report.startsWith("updated io.wax.itests.live 1.0.0 -> 2.0.0 in "));
        assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));
        assertTrue(report, report.contains(", flow io.wax.itests.live 2.0.0 "));
        awaitLines(out, "v2");

        // Bad input is one sentence (wax:update prints it to stderr, after "wax:update: "), and the run goes on.
        assertEquals("cannot read /no/such/live.jar: no such file; give a readable file or URL",
                refusal(() -> runtime.update("io.wax.itests.live", "/no/such/live.jar")));
        assertTrue(refusal(() -> runtime.update("no.such.bundle", null)).startsWith("no bundle 'no.such.bundle' is installed"));

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        assertEquals(LiveUpdateTest.expected(), LiveUpdateTest.counts(LiveUpdateTest.lines(out)));
    }

    /** The engine bundle stopped under a run: the swap waits for a new engine, and wax:status says so, until it starts again. */
    @Test
    public void waxStatusShowsASwapInProgressAndItsPhase() throws Exception {
        deploy();
        Path out = Files.createTempDirectory("wax-live-shell");
        AtomicReference<Throwable> failed = start(out, 60_000);
        awaitLines(out, "v1");

        Bundle engine = Arrays.stream(context.getBundles()).filter(b -> "io.wax.engine".equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
        engine.stop(); // the run stops at an epoch boundary inside this call, and waits for a new engine
        Await.until(TIMEOUT, () -> gogo("wax:status").contains("waiting for the new provider"), () -> gogo("wax:status"));
        String status = gogo("wax:status");
        assertTrue(status, status.contains("flow livecount(60000, \"" + out + "\")  swapping  "));
        assertTrue(status, status.contains("swap: the engine bundle io.wax.engine "));
        assertTrue(status, status.contains(" is being updated or stopped: waiting for the new provider"));

        engine.start();
        Await.until(TIMEOUT, () -> gogo("wax:status").contains("swap: resumed after epoch"), () -> gogo("wax:status"));
        status = gogo("wax:status");
        assertTrue(status, status.contains("  running  ") || status.contains("  ended  "));
        assertTrue(status, status.contains("stop after epoch"));
        assertTrue(status, status.contains("wait for the new provider"));

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        assertEquals(LiveUpdateTest.expected(), LiveUpdateTest.counts(LiveUpdateTest.lines(out)));
    }

    private static String refusal(Runnable r) {
        try {
            r.run();
        } catch (io.wax.runtime.WaxException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused");
    }

    /** Runs a command line in a Gogo session; what it printed (its value, its output and its errors). */
    private String gogo(String line) {
        try {
            ServiceReference<?> ref = context.getServiceReference("org.apache.felix.service.command.CommandProcessor");
            assertTrue("no Gogo command processor", ref != null);
            Object processor = context.getService(ref);
            try {
                Class<?> api = ref.getBundle().loadClass("org.apache.felix.service.command.CommandProcessor");
                Class<?> sessionApi = ref.getBundle().loadClass("org.apache.felix.service.command.CommandSession");
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
                Object session = api.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                        .invoke(processor, new ByteArrayInputStream(new byte[0]), ps, ps);
                try {
                    Object value = sessionApi.getMethod("execute", CharSequence.class).invoke(session, line);
                    if (value != null) {
                        ps.println(value);
                    }
                } finally {
                    Method close = sessionApi.getMethod("close");
                    close.invoke(session);
                }
                return buf.toString(StandardCharsets.UTF_8);
            } finally {
                context.ungetService(ref);
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("running '" + line + "' in Gogo: " + e.getCause(), e);
        }
    }

    private void deploy() throws Exception {
        Bundle b = context.installBundle("wax-itests-live", Files.newInputStream(ExamSetup.testFlow("live-v1")));
        b.start();
        Await.until(TIMEOUT, () -> runtime.flows().stream().anyMatch(f -> "livecount".equals(f.name())),
                () -> "livecount never listed: " + runtime.flows());
    }

    private AtomicReference<Throwable> start(Path out, long items) {
        List<String> args = List.of("livecount(" + items + ", \"" + out + "\")", "-w2", "--epoch-interval", "100ms");
        RunFlags flags = RunArgs.parse(args, Map.of()).flags();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        runner = new Thread(() -> {
            try {
                runtime.run(args.get(0), flags, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]));
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "live-shell-run");
        runner.start();
        return failed;
    }

    private static void awaitLines(Path out, String build) {
        Await.until(TIMEOUT, () -> LiveUpdateTest.lines(out).stream().anyMatch(l -> l.endsWith(" " + build)),
                () -> "no output of build " + build + " in " + out);
    }
}
