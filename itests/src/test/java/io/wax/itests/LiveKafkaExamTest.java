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
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> args = List.of("kafka-wordcount-eos(\"" + System.getProperty("wax.kafka.bootstrap") + "\",\""
                + LiveKafkaFeed.IN + "\",\"" + LiveKafkaFeed.OUT + "\")", "-w2", "--epoch-interval", "100ms", "-s", "200ms",
                "-r", state.toString(), "-i0", "-a", "127.0.0.1:" + port);
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
            String[][] swaps = {
                {"io.wax.engine", ExamSetup.dist().resolve("bundle/wax-engine.jar").toString()},
                {"io.wax.transport.grpc", ExamSetup.dist().resolve("bundle/wax-transport-grpc.jar").toString()},
                {"io.wax.recovery.rocksdb", ExamSetup.dist().resolve("bundle/wax-recovery-rocksdb.jar").toString()},
                {"io.wax.connectors.kafka", ExamSetup.dist().resolve("bundle/wax-connectors-kafka.jar").toString()},
                {"io.wax.examples.kafka", ExamSetup.dist().resolve("deploy/wax-examples-kafka.jar").toString()},
            };
            for (String[] swap : swaps) {
                Bundle b = installed(swap[0]);
                BundleRevision before = b.adapt(BundleRevision.class);
                String report = runtime.update(swap[0], swap[1]);
                System.out.println("LiveKafkaExamTest: " + report.replace('\n', ' '));
                assertTrue(report, report.contains("flow 'kafka-wordcount-eos': resumed after epoch"));
                assertNotEquals(swap[0] + " runs a new revision", before, installed(swap[0]).adapt(BundleRevision.class));
                assertTrue("the run ended after the update of " + swap[0] + ": " + failed.get(), runner.isAlive());
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

    private static Map<String, Long> multiset(List<String> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : lines) {
            m.merge(line, 1L, Long::sum);
        }
        return m;
    }

    /** An uninterrupted run's outputs for the first {@code lines} lines: each word's running counts, once each. */
    private static Map<String, Long> expected(long lines) {
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
