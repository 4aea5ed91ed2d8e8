package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.wax.runtime.RunArgs;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Live updates (README, "Updating a running flow"): bundles a running flow uses are updated under
 * it, and its output is exactly an uninterrupted run's. The flow, {@code livecount} from the
 * {@code live-v*} fixtures, counts words from a deterministic, seekable source and writes
 * {@code epoch word count build} lines, so the test sees which build wrote each line, and
 * compares the {@code word count} lines with what an uninterrupted run writes: one line
 * {@code w k} for k = 1 .. (items of w), no more, no fewer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LiveUpdateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long ITEMS = 60_000; // about 6 s at the fixture's pace

    @Inject
    private WaxRuntime runtime;

    @Inject
    private BundleContext context;

    private Thread runner;

    @Configuration
    public Option[] config() throws IOException {
        return ExamSetup.options();
    }

    @After
    public void joinRunner() throws InterruptedException {
        if (runner != null) {
            runner.join(TIMEOUT.toMillis());
        }
    }

    /** The flow bundle (by Bundle.update, as any management agent) and then the engine (wax:update) change under a run. */
    @Test
    public void theFlowAndTheEngineAreUpdatedWhileTheFlowRunsAndNothingIsLostOrRepeated() throws Exception {
        Bundle live = deploy("v1");
        Path out = Files.createTempDirectory("wax-live");
        AtomicReference<Throwable> failed = start(out, List.of());
        awaitLines(out, "v1");

        live.update(Files.newInputStream(ExamSetup.testFlow("live-v2")));
        awaitLines(out, "v2");

        Object oldEngine = engineService();
        String report = runtime.update("io.wax.engine", ExamSetup.dist().resolve("bundle/wax-engine.jar").toString());
        assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));
        Object newEngine = engineService();
        assertNotEquals("the engine's new revision runs", oldEngine.getClass().getClassLoader(), newEngine.getClass().getClassLoader());
        int linesAtEngineSwap = lines(out).size();

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        List<String> all = lines(out);
        assertTrue("output after the engine's update", all.size() > linesAtEngineSwap);
        assertEquals(expected(), counts(all));
        assertTrue(all.stream().anyMatch(l -> l.endsWith(" v1")));
    }

    /** The recovery store's bundle and the engine change under a run with -r: the RocksDB store is closed and opened again. */
    @Test
    public void theStoreAndTheEngineAreUpdatedUnderADurableRun() throws Exception {
        deploy("v1");
        Path out = Files.createTempDirectory("wax-live");
        Path state = Files.createTempDirectory("wax-live-state").resolve("state");
        runtime.recoveryInit(state.toString(), 2, false);
        AtomicReference<Throwable> failed = start(out, List.of("-r", state.toString()));
        awaitLines(out, "v1");

        String report = runtime.update("io.wax.recovery.rocksdb", ExamSetup.dist().resolve("bundle/wax-recovery-rocksdb.jar").toString());
        assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));
        int before = lines(out).size();
        Await.until(TIMEOUT, () -> lines(out).size() > before, () -> "no output after the store's update");
        report = runtime.update("io.wax.engine", ExamSetup.dist().resolve("bundle/wax-engine.jar").toString());
        assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        assertEquals(expected(), counts(lines(out)));
    }

    /**
     * The store bundle updated and refreshed back to back, twice, without waiting for the swap's
     * output in between: the refresh stops the store revision that the swap of the update has just
     * found (and may be opening the store with), so the swap must give it up and resume on the
     * next one. It used to go on with the unbound revision, and the run ended with a
     * NoClassDefFoundError of the store's classes.
     */
    @Test
    public void theStoreBundleIsUpdatedAndRefreshedBackToBackWhileASwapResumes() throws Exception {
        deploy("v1");
        Path out = Files.createTempDirectory("wax-live");
        Path state = Files.createTempDirectory("wax-live-state").resolve("state");
        runtime.recoveryInit(state.toString(), 2, false);
        AtomicReference<Throwable> failed = start(out, List.of("-r", state.toString()));
        awaitLines(out, "v1");

        Bundle store = bundle("io.wax.recovery.rocksdb");
        Path jar = ExamSetup.dist().resolve("bundle/wax-recovery-rocksdb.jar");
        for (int i = 0; i < 2; i++) {
            try (InputStream in = Files.newInputStream(jar)) {
                store.update(in);
            }
            refresh(store);
        }
        assertEquals(Bundle.ACTIVE, store.getState());
        int before = lines(out).size();
        Await.until(TIMEOUT, () -> lines(out).size() > before || !runner.isAlive(), () -> "no output after the store's updates");
        assertTrue("the run ended during the store's updates: " + failed.get(), runner.isAlive());
        // The run then takes a flow update too: it runs on the newest revisions of both.
        String report = runtime.update("io.wax.itests.live", ExamSetup.testFlow("live-v2").toString());
        assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));
        awaitLines(out, "v2");

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        assertEquals(expected(), counts(lines(out)));
        assertTrue("no old store revision is left wired", context.getBundle(0).adapt(FrameworkWiring.class)
                .getRemovalPendingBundles().isEmpty());
    }

    /**
     * The gRPC transport updated under the only process of a cluster (-i0 -a with one address): the
     * run stops at an epoch boundary, its links close, and it joins again through the new
     * transport's service, losing nothing.
     */
    @Test
    public void theTransportIsUpdatedUnderAOneProcessCluster() throws Exception {
        deploy("v1");
        Path out = Files.createTempDirectory("wax-live");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AtomicReference<Throwable> failed = start(out, List.of("-i0", "-a", "127.0.0.1:" + port));
        awaitLines(out, "v1");

        Object old = service("io.wax.spi.transport.Transport");
        BundleWiring grpc = bundle("io.wax.grpc").adapt(BundleWiring.class);
        for (int i = 0; i < 2; i++) {
            String report = runtime.update("io.wax.transport.grpc", ExamSetup.dist().resolve("bundle/wax-transport-grpc.jar").toString());
            assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));
            assertTrue(report, report.contains("the transport bundle io.wax.transport.grpc"));
            assertTrue(report, report.contains("close the cluster links"));
            int before = lines(out).size();
            Await.until(TIMEOUT, () -> lines(out).size() > before || !runner.isAlive(), () -> "no output after the transport's update");
        }
        assertNotEquals("the transport's new revision runs", old.getClass().getClassLoader(),
                service("io.wax.spi.transport.Transport").getClass().getClassLoader());
        // gRPC and Netty stay in their library bundle, which the transport's updates neither refresh nor reload.
        assertSame("io.wax.grpc keeps its wiring (and class loader)", grpc, bundle("io.wax.grpc").adapt(BundleWiring.class));
        assertTrue("io.wax.grpc keeps its wiring", grpc.isCurrent());

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        assertEquals(expected(), counts(lines(out)));
    }

    /** Build 3 keeps its state as text, version 2, with a migration from build 1's Long counts. */
    @Test
    public void aFlowUpdateMigratesTheState() throws Exception {
        deploy("v1");
        Path out = Files.createTempDirectory("wax-live");
        AtomicReference<Throwable> failed = start(out, List.of());
        awaitLines(out, "v1");

        String report = runtime.update("io.wax.itests.live", ExamSetup.testFlow("live-v3").toString());
        assertTrue(report, report.contains("flow 'livecount': resumed after epoch"));
        awaitLines(out, "v3");

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        assertEquals(expected(), counts(lines(out)));
    }

    /** Build 4 changes the state's version with no migration: refused, and build 1's code goes on, losing nothing. */
    @Test
    public void aFlowUpdateWithoutANeededMigrationIsRefusedAndTheOldCodeKeepsRunning() throws Exception {
        Bundle live = deploy("v1");
        Path out = Files.createTempDirectory("wax-live");
        AtomicReference<Throwable> failed = start(out, List.of());
        awaitLines(out, "v1");

        String report = runtime.update("io.wax.itests.live", ExamSetup.testFlow("live-v4").toString());
        assertTrue(report, report.contains("refused: flow 'livecount': step 'livecount.count.stateful_batch' has state of version 0"
                + " but the flow's code declares version 2 and no migration from it"));
        assertTrue(report, report.contains("resumed on the old code"));
        assertTrue("the run names build 1 as the flow code it runs on: " + report, report.contains(", flow io.wax.itests.live 1.0.0 built "));
        assertEquals("the refused build stays installed, unused by the run", "4.0.0", live.getVersion().toString());
        int before = lines(out).size();
        Await.until(TIMEOUT, () -> lines(out).size() > before, () -> "no output after the refused update");

        runner.join(TIMEOUT.toMillis() * 2);
        assertNull(String.valueOf(failed.get()), failed.get());
        List<String> all = lines(out);
        assertEquals(expected(), counts(all));
        assertTrue("only build 1 wrote: " + all.stream().filter(l -> !l.endsWith(" v1")).findFirst(),
                all.stream().allMatch(l -> l.endsWith(" v1")));
    }

    private Bundle deploy(String build) throws Exception {
        Bundle b = context.installBundle("wax-itests-live", Files.newInputStream(ExamSetup.testFlow("live-" + build)));
        b.start();
        Await.until(TIMEOUT, () -> runtime.flows().stream().anyMatch(f -> "livecount".equals(f.name())),
                () -> "livecount never listed: " + runtime.flows());
        return b;
    }

    /** Runs livecount with 2 workers and 100 ms epochs on a thread of its own; what it threw, once it ends. */
    private AtomicReference<Throwable> start(Path out, List<String> more) {
        List<String> args = new ArrayList<>(List.of("livecount(" + ITEMS + ", \"" + out + "\")", "-w2", "--epoch-interval", "100ms"));
        args.addAll(more);
        RunFlags flags = RunArgs.parse(args, Map.of()).flags();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        runner = new Thread(() -> {
            try {
                runtime.run(args.get(0), flags, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]));
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "live-run");
        runner.start();
        return failed;
    }

    private Bundle bundle(String symbolicName) {
        return java.util.Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /** Refreshes a bundle and waits for the refresh (not for any swap it causes). */
    private void refresh(Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refresh did not finish", done.await(30, TimeUnit.SECONDS));
    }

    private Object engineService() {
        return service("io.wax.spi.engine.Engine");
    }

    private Object service(String type) {
        ServiceReference<?> ref = context.getServiceReference(type);
        assertTrue("no service " + type, ref != null);
        Object e = context.getService(ref);
        context.ungetService(ref);
        return e;
    }

    private static void awaitLines(Path out, String build) {
        Await.until(TIMEOUT, () -> lines(out).stream().anyMatch(l -> l.endsWith(" " + build)),
                () -> "no output of build " + build + " in " + out);
    }

    /** Every line the workers wrote so far. */
    static List<String> lines(Path dir) {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return all;
    }

    /** The {@code word count} part of each line, sorted. */
    static List<String> counts(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split(" ");
            out.add(f[1] + " " + f[2]);
        }
        Collections.sort(out);
        return out;
    }

    /** What an uninterrupted run writes, as {@link #counts}. */
    static List<String> expected() {
        return expected(ITEMS);
    }

    /** What an uninterrupted run of the live flow over {@code items} items writes, as {@link #counts}. */
    static List<String> expected(long items) {
        long[] perWord = new long[50];
        for (long i = 0; i < items; i++) {
            perWord[(int) (i * 7919 % 50)]++;
        }
        List<String> out = new ArrayList<>();
        for (int w = 0; w < 50; w++) {
            for (long k = 1; k <= perWord[w]; k++) {
                out.add("w" + w + " " + k);
            }
        }
        Collections.sort(out);
        return out;
    }
}
