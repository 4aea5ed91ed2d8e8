package io.wax.itests;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.wax.runtime.RunArgs;
import io.wax.runtime.RunControl;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

/**
 * Benchmark, not a test (its name keeps it out of the default run): the pause a swap causes on a
 * running W2-sized flow ({@code livewords}: 10,000 words, a running count, full speed, 2 workers,
 * with -r, as the only process of a cluster so that it uses the gRPC transport), from the last
 * output before the swap to the first after it, for each bundle kind: the flow, the engine, the
 * recovery store, the transport. (A Kafka connector's update swaps the flow bundles that import
 * it, as a flow update: see LiveKafkaExamTest.) Prints every pause and the worst per kind; target
 * under 2 s. Run: {@code mvnl -B test -pl itests -Dtest=LivePauseBench -DargLine="$(grep -v '^#' distribution/target/wax/etc/jvm.options)"}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LivePauseBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SWAPS = 5;

    @Inject
    private WaxRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return ExamSetup.options();
    }

    @Test
    public void pausePerSwap() throws Exception {
        Bundle live = context.installBundle("wax-itests-live", Files.newInputStream(ExamSetup.testFlow("live-v1")));
        live.start();
        Await.until(TIMEOUT, () -> runtime.flows().stream().anyMatch(f -> "livewords".equals(f.name())),
                () -> "livewords never listed: " + runtime.flows());
        Path state = Files.createTempDirectory("wax-live-bench").resolve("state");
        runtime.recoveryInit(state.toString(), 2, false);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RunControl control = new RunControl();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                runtime.run("livewords", RunArgs.parse(List.of("livewords", "-w2", "--epoch-interval", "1s", "-r", state.toString(),
                        "-s", "10s", "-i0", "-a", "127.0.0.1:" + port), Map.of()).flags(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]), control);
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "live-bench-run");
        runner.start();
        long t0 = System.nanoTime();
        Await.until(TIMEOUT, () -> outputs() > 0, () -> "no output");
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> System.nanoTime() - t0 > 15_000_000_000L, () -> "");
        long warm = outputs();
        System.out.printf(Locale.ROOT, "live pause bench: %.1f M outputs/s after warm-up%n", warm / ((System.nanoTime() - t0) / 1e9) / 1e6);

        String engineJar = ExamSetup.dist().resolve("bundle/wax-engine.jar").toString();
        String storeJar = ExamSetup.dist().resolve("bundle/wax-recovery-rocksdb.jar").toString();
        String transportJar = ExamSetup.dist().resolve("bundle/wax-transport-grpc.jar").toString();
        for (String kind : List.of("flow", "engine", "store", "transport")) {
            List<Double> pauses = new ArrayList<>();
            for (int i = 0; i < SWAPS; i++) {
                long before = outputs();
                long start = System.nanoTime();
                String report = switch (kind) {
                    case "flow" -> runtime.update("io.wax.itests.live", ExamSetup.testFlow(i % 2 == 0 ? "live-v2" : "live-v1").toString());
                    case "engine" -> runtime.update("io.wax.engine", engineJar);
                    case "transport" -> runtime.update("io.wax.transport.grpc", transportJar);
                    default -> runtime.update("io.wax.recovery.rocksdb", storeJar);
                };
                assertTrue(report, report.contains("resumed after epoch"));
                Await.until(TIMEOUT, Duration.ofMillis(5), () -> outputs() > before + 100_000, () -> "no output after the swap");
                double pause = largestGapSince(start);
                pauses.add(pause);
                System.out.printf(Locale.ROOT, "live pause bench: %s swap %d: pause %.3f s (%s)%n", kind, i + 1, pause,
                        report.lines().skip(1).findFirst().orElse(""));
                Await.until(TIMEOUT, Duration.ofMillis(100), () -> System.nanoTime() - start > 3_000_000_000L, () -> "");
            }
            System.out.printf(Locale.ROOT, "live pause bench: %s: worst %.3f s, median %.3f s over %d swaps%n", kind,
                    pauses.stream().mapToDouble(d -> d).max().orElse(0), pauses.stream().sorted().toList().get(SWAPS / 2), SWAPS);
        }
        control.stop();
        runner.join(TIMEOUT.toMillis());
        assertNull(String.valueOf(failed.get()), failed.get());
    }

    private static long outputs() {
        AtomicLong c = (AtomicLong) System.getProperties().get("wax.live.outputs");
        return c == null ? 0 : c.get();
    }

    /** The longest time without output that ended after {@code since}, in seconds. */
    @SuppressWarnings("unchecked")
    private static double largestGapSince(long since) {
        Queue<long[]> gaps = (Queue<long[]>) System.getProperties().get("wax.live.gaps");
        long worst = 0;
        for (long[] g : gaps) {
            if (g[1] > since) {
                worst = Math.max(worst, g[0]);
            }
        }
        return worst / 1e9;
    }
}
