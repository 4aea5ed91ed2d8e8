package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.wax.runtime.RunArgs;
import io.wax.runtime.RunControl;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Issue 19's test, in one process: a stateful Kafka-to-Kafka flow ({@code kafka-wordcount-eos},
 * exactly-once sink, {@code -r}, the only process of a cluster so that it uses the gRPC transport)
 * is fed continuously from outside the framework while the engine, the transport, the store, the
 * Kafka connector and the flow bundle are updated to a new build, one after another. Each update
 * installs a new bundle revision, and the run resumes on it (each report names the swap); a
 * {@code read_committed} consumer then sees exactly an uninterrupted run's outputs: for every word,
 * its running counts 1..n once each. kafka-clients, gRPC with Netty and rocksdbjni live in library
 * bundles ({@code io.wax.kafka.clients}, {@code io.wax.grpc}, {@code io.wax.rocksdb}) that none of
 * the swaps touches: each keeps its revision and its wiring (so its class loader), is never
 * stopped, unresolved or refreshed, and the updated bundle above it is wired to it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveKafkaExamTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    private WaxRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        List<Option> o = new ArrayList<>(List.of(ExamSetup.options()));
        o.add(bundle(ExamSetup.dist().resolve("deploy/wax-examples-kafka.jar").toUri().toString()));
        String bootstrap = KafkaExamBroker.bootstrap();
        LiveKafkaFeed.install(bootstrap); // outside the framework, where kafka-clients is
        o.add(systemProperty("wax.kafka.bootstrap").value(bootstrap));
        return o.toArray(new Option[0]);
    }

    @Test
    public void everyBundleKindIsUpdatedUnderAnExactlyOnceKafkaFlow() throws Exception {
        @SuppressWarnings("unchecked")
        Function<String, Object> kafka = (Function<String, Object>) System.getProperties().get(LiveKafkaFeed.PROPERTY);
        assertTrue("the Kafka feed was not set up outside the framework", kafka != null);
        Await.until(TIMEOUT, () -> runtime.flows().stream().anyMatch(f -> "kafka-wordcount-eos".equals(f.name()) && f.runnable()),
                () -> "kafka-wordcount-eos never listed: " + runtime.flows());
        Path state = Files.createTempDirectory("wax-live-kafka").resolve("state");
        runtime.recoveryInit(state.toString(), 2, false);
        int port = freePort();
        int metricsPort = freePort();
        List<String> args = List.of("kafka-wordcount-eos(\"" + System.getProperty("wax.kafka.bootstrap") + "\",\""
                + LiveKafkaFeed.IN + "\",\"" + LiveKafkaFeed.OUT + "\")", "-w2", "--epoch-interval", "100ms", "-s", "200ms",
                "-r", state.toString(), "-i0", "-a", "127.0.0.1:" + port, "--metrics-port", Integer.toString(metricsPort));
        RunFlags flags = RunArgs.parse(args, Map.of()).flags();
        RunControl control = new RunControl();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        kafka.apply("start");
        Thread runner = new Thread(() -> {
            try {
                runtime.run(args.get(0), flags, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]), control);
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "live-kafka-run");
        // The library bundles, which no swap may touch, and the bundle each one serves with which packages.
        String[][] libraries = {
            {"io.wax.kafka.clients", "io.wax.connectors.kafka", "org.apache.kafka."},
            {"io.wax.grpc", "io.wax.transport.grpc", "io.grpc."},
            {"io.wax.rocksdb", "io.wax.recovery.rocksdb", "org.rocksdb"},
        };
        Map<Bundle, BundleWiring> wirings = new LinkedHashMap<>();
        for (String[] library : libraries) {
            Bundle b = installed(library[0]);
            wirings.put(b, b.adapt(BundleWiring.class));
        }
        List<String> libraryEvents = Collections.synchronizedList(new ArrayList<>());
        SynchronousBundleListener watch = e -> {
            if (wirings.containsKey(e.getBundle())) {
                libraryEvents.add(e.getBundle().getSymbolicName() + " " + eventName(e.getType()));
            }
        };
        context.addBundleListener(watch);
        runner.start();
        try {
            Await.until(TIMEOUT, () -> committed(kafka).size() > 0 || !runner.isAlive(), () -> "no committed output");
            // The run's /status names the build of each provider it runs on; the released jars carry no mark.
            Map<String, String> builds = builds(metricsPort);
            assertEquals(builds.toString(), List.of("engine", "transport", "store", "flow", "connectors"), new ArrayList<>(builds.keySet()));
            for (String build : builds.values()) {
                assertTrue(builds.toString(), build.matches("io\\.wax\\.[a-z.]+ \\S+ built \\S+Z"));
            }
            // {role, bundle, jar}: each is updated to a copy of its jar marked with a build of its own.
            String[][] swaps = {
                {"engine", "io.wax.engine", "bundle/wax-engine.jar"},
                {"transport", "io.wax.transport.grpc", "bundle/wax-transport-grpc.jar"},
                {"store", "io.wax.recovery.rocksdb", "bundle/wax-recovery-rocksdb.jar"},
                {"connectors", "io.wax.connectors.kafka", "bundle/wax-connectors-kafka.jar"},
                {"flow", "io.wax.examples.kafka", "deploy/wax-examples-kafka.jar"},
            };
            Path marked = Files.createTempDirectory("wax-live-builds");
            for (String[] swap : swaps) {
                Bundle b = installed(swap[1]);
                BundleRevision before = b.adapt(BundleRevision.class);
                String mark = swap[0] + "-" + Long.toHexString(System.nanoTime());
                Path jar = mark(ExamSetup.dist().resolve(swap[2]), marked.resolve(mark + ".jar"), mark);
                String report = runtime.update(swap[1], jar.toString());
                System.out.println("LiveKafkaExamTest: " + report.replace('\n', ' '));
                assertTrue(report, report.contains("flow 'kafka-wordcount-eos': resumed after epoch"));
                assertNotEquals(swap[1] + " runs a new revision", before, installed(swap[1]).adapt(BundleRevision.class));
                assertTrue("the run ended after the update of " + swap[1] + ": " + failed.get(), runner.isAlive());
                // The new build's own code runs: its revision reports its mark, and nothing else changed.
                String build = swap[1] + " " + b.getVersion() + " build " + mark;
                assertTrue(report, report.contains(" " + swap[0] + " " + build));
                Map<String, String> now = builds(metricsPort);
                Map<String, String> expected = new java.util.LinkedHashMap<>(builds);
                expected.put(swap[0], build);
                assertEquals("the builds the run runs on after the update of " + swap[1], expected, now);
                assertNotEquals(builds.get(swap[0]), now.get(swap[0]));
                builds = now;
                int seen = committed(kafka).size();
                Await.until(TIMEOUT, () -> committed(kafka).size() > seen || !runner.isAlive(),
                        () -> "no committed output after the update of " + swap[0]);
            }
            // The library bundles were left alone by every swap ...
            assertEquals("events of the library bundles during the swaps", List.of(), List.copyOf(libraryEvents));
            for (String[] library : libraries) {
                Bundle b = installed(library[0]);
                BundleWiring kept = wirings.get(b);
                assertEquals(library[0], Bundle.ACTIVE, b.getState());
                assertSame(library[0] + " keeps its revision", kept.getRevision(), b.adapt(BundleRevision.class));
                assertSame(library[0] + " keeps its wiring (and class loader)", kept, b.adapt(BundleWiring.class));
                assertTrue(library[0], kept.isCurrent() && kept.isInUse());
                // ... and the updated bundle above it runs on it: its imports of the library are wired there.
                List<BundleWire> wires = installed(library[1]).adapt(BundleWiring.class)
                        .getRequiredWires("osgi.wiring.package").stream()
                        .filter(w -> String.valueOf(w.getCapability().getAttributes().get("osgi.wiring.package"))
                                .startsWith(library[2]))
                        .toList();
                assertTrue(library[1] + " imports no " + library[2] + "* package", !wires.isEmpty());
                for (BundleWire w : wires) {
                    assertSame(library[1] + ": " + w.getCapability().getAttributes() + " comes from " + library[0], kept,
                            w.getProviderWiring());
                }
            }
        } finally {
            context.removeBundleListener(watch);
            long lines = (Long) kafka.apply("stop");
            if (failed.get() == null && runner.isAlive()) {
                Await.until(TIMEOUT, () -> committed(kafka).size() >= lines || !runner.isAlive(),
                        () -> "committed " + committed(kafka).size() + " of " + lines + " outputs");
            }
            control.stop();
            runner.join(TIMEOUT.toMillis());
        }
        assertNull(String.valueOf(failed.get()), failed.get());
        long lines = (Long) kafka.apply("sent");
        assertEquals(expected(lines), multiset(committed(kafka)));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A copy of {@code jar} at {@code to} with one more entry, {@code META-INF/wax-build.properties} saying {@code build=MARK}. */
    static Path mark(Path jar, Path to, String mark) throws IOException {
        return mark(jar, to, mark, null);
    }

    /** As {@link #mark(Path, Path, String)}, and with the manifest's Bundle-Version set to {@code version} unless it is null. */
    static Path mark(Path jar, Path to, String mark, String version) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(jar));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertTrue(jar + " has a build mark already", !e.getName().equals("META-INF/wax-build.properties"));
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName())); // the manifest stays first
                if (version != null && e.getName().equals("META-INF/MANIFEST.MF")) {
                    java.util.jar.Manifest m = new java.util.jar.Manifest(in);
                    m.getMainAttributes().putValue("Bundle-Version", version);
                    m.write(out);
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/wax-build.properties"));
            out.write(("build=" + mark + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return to;
    }

    /** The "builds" object of the run's {@code /status} document: role to build, in its order. */
    static Map<String, String> builds(int metricsPort) throws IOException {
        String json;
        try (java.io.InputStream in = new java.net.URL("http://127.0.0.1:" + metricsPort + "/status").openStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        java.util.regex.Matcher object = java.util.regex.Pattern.compile("\"builds\": \\{([^}]*)\\}").matcher(json);
        assertTrue(json, object.find());
        Map<String, String> m = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher pair = java.util.regex.Pattern.compile("\"([a-z]+)\": \"([^\"]*)\"").matcher(object.group(1));
        while (pair.find()) {
            m.put(pair.group(1), pair.group(2));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<String> committed(Function<String, Object> kafka) {
        return (List<String>) kafka.apply("read");
    }

    private static String eventName(int type) {
        return switch (type) {
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.UPDATED -> "UPDATED";
            default -> "event " + type;
        };
    }

    private Bundle installed(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    static Map<String, Long> multiset(List<String> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : lines) {
            m.merge(line, 1L, Long::sum);
        }
        return m;
    }

    /** An uninterrupted run's outputs for the first {@code lines} lines: each word's running counts, once each. */
    static Map<String, Long> expected(long lines) {
        Map<String, Long> perWord = new TreeMap<>();
        for (long i = 0; i < lines; i++) {
            perWord.merge(LiveKafkaFeed.word(i), 1L, Long::sum);
        }
        Map<String, Long> m = new TreeMap<>();
        perWord.forEach((w, n) -> {
            for (long c = 1; c <= n; c++) {
                m.put(w + "=" + c, 1L);
            }
        });
        return m;
    }
}
