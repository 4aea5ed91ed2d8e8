package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.wax.runtime.FlowInfo;
import io.wax.runtime.RunControl;
import io.wax.runtime.RunFlags;
import io.wax.runtime.WaxException;
import io.wax.runtime.WaxRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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

/**
 * The recovery store bundle updated in place under a real Felix: while a recovering flow runs with
 * its store open, the store bundle ({@code io.wax.recovery.rocksdb}) is updated and refreshed twice,
 * back to back; the run swaps to each new store revision and is then stopped gracefully, and the flow resumes
 * through the updated bundle from the store the first run wrote. The native library lives in its
 * own bundle, so no update loads it twice (no {@link UnsatisfiedLinkError}), and the first run
 * closed its databases, so the resumed run can lock the same directory; together the runs print
 * each count exactly once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RecoveryBundleExamTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** About 6 s at the fixture's pace. */
    private static final long N = 60_000;
    private static final int WORDS = 50;

    @Inject
    private WaxRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return ExamSetup.options();
    }

    @Test
    public void aFlowResumesFromItsStoreAfterTheStoreBundleIsUpdatedTwice() throws Exception {
        Bundle fixture = context.installBundle("wax-itests-recovering", Files.newInputStream(ExamSetup.testFlow("recovering")));
        fixture.start();
        Await.until(TIMEOUT, () -> runtime.flows().stream().anyMatch(f -> f.runnable() && f.name().equals("counting")),
                () -> "counting never listed: " + runtime.flows().stream().map(FlowInfo::name).toList());
        Path tmp = Files.createTempDirectory("wax-exam-recovery");
        Path store = tmp.resolve("store");
        Path out = Files.createDirectories(tmp.resolve("out"));
        runtime.recoveryInit(store.toString(), 2, false);
        RunFlags flags = new RunFlags(2, Duration.ofMillis(100), null, List.of(), store.toString(), null, null);
        String getter = "counting(" + N + ", \"" + out + "\")";

        // The first run, stopped gracefully once an epoch has ended (its lines are written then).
        RunControl control = new RunControl();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                run(getter, flags, control);
            } catch (Throwable t) {
                failed.set(t);
                t.printStackTrace();
            }
        }, "exam-first-run");
        first.start();
        Await.until(TIMEOUT, () -> !lines(out).isEmpty(), () -> "the first run wrote nothing");
        // Updated twice while the first run has its store open: the run keeps the store it opened.
        Bundle storeBundle = bundle("io.wax.recovery.rocksdb");
        for (int i = 0; i < 2; i++) {
            // The run stops at an epoch boundary while the old store's service goes (inside update(),
            // and again inside the refresh that restarts the bundle), and resumes on the new one. The
            // refresh may land while the swap of the update is still opening the store: the swap
            // then gives that revision up and resumes on the next.
            storeBundle.update();
            refresh(storeBundle);
            assertEquals(Bundle.ACTIVE, storeBundle.getState());
            Await.until(TIMEOUT, () -> storeAnswers(store), () -> "the updated store bundle never served the store");
        }
        awaitOutputAfter(out, lines(out).size(), first);
        assertTrue("the first run ended before the updates were done: " + failed.get(), first.isAlive());
        control.stop();
        first.join(TIMEOUT.toMillis());
        assertTrue("the first run did not stop", !first.isAlive());
        assertNull("the first run failed: " + failed.get(), failed.get());
        long resume = resumeEpoch(store);
        assertTrue("the first run snapshotted progress: resumes at " + resume, resume > 1);
        int before = lines(out).size();
        assertTrue("the first run was stopped before its end: " + before + " lines", before < N);

        // The resumed run opens (and locks) the directory the old bundle had open, and continues.
        run(getter, flags, new RunControl());
        // A graceful stop leaves nothing to replay: together the runs print each count exactly once.
        List<String> all = lines(out);
        assertEquals(expected(), multiset(all));
        assertEquals(N, all.size());
        assertTrue("the resumed run went on from the store: resumes at " + resumeEpoch(store), resumeEpoch(store) > resume);
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Waits for a line beyond the first {@code seen} (or for the run to end, which the caller then reports). */
    private static void awaitOutputAfter(Path out, int seen, Thread run) throws Exception {
        Await.until(TIMEOUT, () -> lines(out).size() > seen || !run.isAlive(), () -> "no output after the store's update");
    }

    private void run(String getter, RunFlags flags, RunControl control) {
        runtime.run(getter, flags, new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[0]), control);
    }

    private boolean storeAnswers(Path store) {
        try {
            return runtime.recoveryInfo(store.toString()).contains("resume epoch: ");
        } catch (WaxException notYet) {
            return false;
        }
    }

    private long resumeEpoch(Path store) {
        for (String line : runtime.recoveryInfo(store.toString()).split("\\R")) {
            if (line.startsWith("resume epoch: ")) {
                return Long.parseLong(line.substring("resume epoch: ".length()).strip());
            }
        }
        throw new AssertionError("no resume epoch in: " + runtime.recoveryInfo(store.toString()));
    }

    /** Every {@code word count} line the runs of this JVM wrote, over all workers. */
    private static List<String> lines(Path out) {
        try (Stream<Path> files = Files.list(out)) {
            return files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(line -> line.substring(line.indexOf(' ') + 1)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Long> multiset(List<String> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : lines) {
            m.merge(line, 1L, Long::sum);
        }
        return m;
    }

    /** What an uninterrupted run prints: each word's running counts, once each. */
    private static Map<String, Long> expected() {
        long[] perWord = new long[WORDS];
        for (long i = 0; i < N; i++) {
            perWord[(int) (i * 7919 % WORDS)]++;
        }
        Map<String, Long> m = new TreeMap<>();
        for (int w = 0; w < WORDS; w++) {
            for (long c = 1; c <= perWord[w]; c++) {
                m.put("w" + w + " " + c, 1L);
            }
        }
        return m;
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
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
}
