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
 * its running counts 1..n once each. kafka-clients lives in the library bundle
 * {@code io.wax.kafka.clients}, which none of the swaps touches: it keeps its revision and its
 * wiring (so its class loader), and is never stopped, unresolved or refreshed.
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
        Bundle clients = installed("io.wax.kafka.clients");
        BundleWiring clientsWiring = clients.adapt(BundleWiring.class);
        List<String> clientsEvents = Collections.synchronizedList(new ArrayList<>());
        SynchronousBundleListener watch = e -> {
            if (e.getBundle().equals(clients)) {
                clientsEvents.add(eventName(e.getType()));
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
            // The library bundle was left alone by every swap, the connector's among them ...
            assertEquals("events of io.wax.kafka.clients during the swaps", List.of(), List.copyOf(clientsEvents));
            assertEquals(Bundle.ACTIVE, clients.getState());
            assertSame("io.wax.kafka.clients keeps its revision", clientsWiring.getRevision(), clients.adapt(BundleRevision.class));
            assertSame("io.wax.kafka.clients keeps its wiring (and class loader)", clientsWiring, clients.adapt(BundleWiring.class));
            assertTrue(clientsWiring.isCurrent() && clientsWiring.isInUse());
            // ... and the updated connector runs on it: its kafka packages are wired to the library bundle.
            List<BundleWire> kafkaWires = installed("io.wax.connectors.kafka").adapt(BundleWiring.class)
                    .getRequiredWires("osgi.wiring.package").stream()
                    .filter(w -> String.valueOf(w.getCapability().getAttributes().get("osgi.wiring.package"))
                            .startsWith("org.apache.kafka."))
                    .toList();
            assertTrue("the connector imports no kafka package", !kafkaWires.isEmpty());
            for (BundleWire w : kafkaWires) {
                assertSame(w.getCapability().getAttributes() + " comes from io.wax.kafka.clients", clientsWiring,
                        w.getProviderWiring());
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
            case BundleEvent.STOPPED -> "STOPPED";
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
