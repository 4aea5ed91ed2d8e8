package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.wax.runtime.FlowInfo;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
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
import org.osgi.framework.wiring.FrameworkWiring;

/** The runtime in a real Felix with the distribution's bundles; each test gets a fresh framework. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RuntimeExamTest {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    private WaxRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return ExamSetup.options();
    }

    @Test
    public void simpleRunsWithThreeWorkers() {
        assertEquals(List.of("1", "2", "3"), sorted(run("simple", 3)));
    }

    @Test
    public void aFlowBundleInstalledAtRunTimeIsRunnableUpdatedAndRemoved() throws Exception {
        Bundle hello = context.installBundle("wax-itests-hello", open("hello-v1"));
        hello.start();
        Await.until(DEPLOY_TIMEOUT, () -> names().contains("hello"), () -> "hello never listed: " + runtime.flows());
        assertEquals(List.of("hello you from v1"), run("hello(\"you\")", 2));

        hello.update(open("hello-v2"));
        refresh(hello);
        Await.until(DEPLOY_TIMEOUT, () -> versions().contains("2.0.0"), () -> "v2 never listed: " + runtime.flows());
        assertEquals(List.of("hello you from v2"), run("hello(\"you\")", 2));

        hello.uninstall();
        refresh(hello);
        Await.until(DEPLOY_TIMEOUT, () -> !names().contains("hello"), () -> "hello still listed: " + runtime.flows());
        try {
            run("hello(\"you\")", 1);
            fail("a removed flow still ran");
        } catch (WaxException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("no flow named 'hello' is deployed; deployed flows: "));
            assertTrue(e.getMessage(), e.getMessage().contains("simple"));
        }
    }

    @Test
    public void badBundlesAreListedWithTheirProblemAndDisturbNothing() throws Exception {
        Bundle broken = context.installBundle("wax-itests-broken", open("broken"));
        Bundle faulty = context.installBundle("wax-itests-faulty", open("faulty"));
        try {
            broken.start();
            fail("a bundle with a missing import started");
        } catch (org.osgi.framework.BundleException expected) {
            // unresolvable, as intended
        }
        faulty.start();
        Await.until(DEPLOY_TIMEOUT, () -> problems().size() == 2, () -> "expected two problems: " + runtime.flows());
        String all = String.join("\n", problems());
        assertTrue(all, all.contains("no bundle exports package com.example.missing"));
        assertTrue(all, all.contains("crashing on purpose"));
        assertEquals(List.of("1", "2", "3"), sorted(run("simple", 3)));
        try {
            run("boom", 2);
            fail("boom did not fail");
        } catch (WaxException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'boom.explode"));
            assertTrue(e.getMessage(), e.getMessage().contains("two is not allowed"));
        }
    }

    /** A flow still running when the runtime bundle stops is stopped with it: no worker thread survives. */
    @Test
    public void stoppingTheRuntimeStopsRunningFlows() throws Exception {
        java.io.PipedOutputStream keepOpen = new java.io.PipedOutputStream();
        InputStream neverEnds = new java.io.PipedInputStream(keepOpen);
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                runtime.run("wordcount", RunFlags.defaults().withWorkers(2), new PrintStream(new ByteArrayOutputStream()), neverEnds);
            } catch (Throwable t) {
                ended.set(t);
            }
        }, "exam-run");
        caller.start();
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (workerThreads() < 2) {
            assertTrue("the run never started its workers", System.nanoTime() < deadline);
            Thread.onSpinWait();
        }
        Bundle runtimeBundle = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("io.wax.runtime")).findFirst().orElseThrow();
        runtimeBundle.stop();
        caller.join(15_000);
        assertTrue("the run did not end when the runtime stopped", !caller.isAlive());
        assertTrue(String.valueOf(ended.get()), ended.get() instanceof WaxException);
        assertEquals("worker threads left behind", 0, workerThreads());
        keepOpen.close();
    }

    /**
     * The runtime binds the engine as a service: with the engine bundle stopped a run says there
     * is no engine, and once it is started again runs work, without restarting the runtime.
     */
    @Test
    public void theEngineBundleCanStopAndStartUnderTheRuntime() throws Exception {
        Bundle engine = bundle("io.wax.engine");
        engine.stop();
        try {
            run("simple", 1);
            fail("ran without an engine");
        } catch (WaxException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("no engine: the Wax engine bundle (io.wax.engine) is not active"));
        }
        assertEquals("the runtime stayed active", Bundle.ACTIVE, bundle("io.wax.runtime").getState());
        engine.start();
        Await.until(DEPLOY_TIMEOUT, () -> context.getServiceReference("io.wax.spi.engine.Engine") != null,
                () -> "the engine service never came back");
        assertEquals(List.of("1", "2", "3"), sorted(run("simple", 3)));
    }

    /** The engine contract (io.wax.plan) is exported only to bundles that ask for it by attribute: flows cannot use it. */
    @Test
    public void theEngineContractIsNotExportedToFlows() {
        String exports = bundle("io.wax.api").getHeaders().get("Export-Package");
        assertTrue(exports, exports.matches("(?s).*io\\.wax\\.plan;[^,]*mandatory:=\"?wax\\.contract.*"));
        org.osgi.framework.wiring.BundleWiring examples = bundle("io.wax.examples").adapt(org.osgi.framework.wiring.BundleWiring.class);
        assertTrue(examples.getRequiredWires("osgi.wiring.package").stream()
                .noneMatch(w -> "io.wax.plan".equals(w.getCapability().getAttributes().get("osgi.wiring.package"))));
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("wax-wordcount-worker-") && t.isAlive()).count();
    }

    private List<String> run(String getter, int workers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        runtime.run(getter, RunFlags.defaults().withWorkers(workers), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
    }

    private List<String> names() {
        return runtime.flows().stream().filter(FlowInfo::runnable).map(FlowInfo::name).toList();
    }

    private List<String> versions() {
        return runtime.flows().stream().filter(f -> "hello".equals(f.name())).map(FlowInfo::version).toList();
    }

    private List<String> problems() {
        return runtime.flows().stream().filter(f -> !f.runnable()).map(f -> f.bundle() + ": " + f.problem()).toList();
    }

    private void refresh(Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refresh did not finish", done.await(10, TimeUnit.SECONDS));
    }

    private static InputStream open(String fixture) throws IOException {
        return Files.newInputStream(ExamSetup.testFlow(fixture));
    }

    private static List<String> sorted(List<String> xs) {
        List<String> s = new ArrayList<>(xs);
        s.sort(null);
        return s;
    }
}
