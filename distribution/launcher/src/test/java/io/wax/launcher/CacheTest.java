package io.wax.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {
    /**
     * Processes started together (a cluster on one machine) sweep the folder a killed process left
     * at the same moment. Once, one of them failed its start with an UncheckedIOException
     * (NoSuchFileException on bundleN of the other's walk): ClusterTest's mismatch case after its
     * kill -9 case, where a process then never listened and its peer blamed it after 30 s.
     */
    @Test
    void processesStartingTogetherRemoveAnOrphanWithoutFailing(@TempDir Path tmp) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        for (int round = 0; round < 10; round++) {
            Path orphan = tmp.resolve("wax-felix-" + deadPid + "-" + round);
            for (int b = 0; b < 60; b++) {
                Path rev = Files.createDirectories(orphan.resolve("bundle" + b).resolve("version0.0"));
                Files.writeString(rev.resolve("revision.location"), "reference:file:/x.jar");
                Files.writeString(orphan.resolve("bundle" + b).resolve("bundle.info"), "info");
            }
            Path live = Files.createDirectories(tmp.resolve("wax-felix-" + ProcessHandle.current().pid() + "-" + round));
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] sweepers = new Thread[4];
            for (int i = 0; i < sweepers.length; i++) {
                sweepers[i] = new Thread(() -> {
                    try {
                        go.await();
                        Cache.removeOrphans(tmp);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
                sweepers[i].start();
            }
            go.countDown();
            for (Thread t : sweepers) {
                t.join();
            }
            assertEquals(List.of(), failures, "round " + round);
            assertTrue(Files.isDirectory(live), "a live process's folder stays");
            try (Stream<Path> left = Files.list(tmp)) {
                assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("wax-felix-" + deadPid)),
                        "the orphan is gone, round " + round);
            }
        }
    }
}
