package io.wax.itests;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Benchmark, not a test (its name keeps it out of the default run): issue 15's backpressure check
 * with two real {@code bin/wax} processes of 256 MB heap each for 3 minutes ({@link SlowPeerProcesses}).
 * Prints the figures every 10 s, the old generation after a full GC every 30 s, and a RESULT line;
 * fails (and Maven exits non-zero) on an OutOfMemoryError, a process that dies or exits non-zero, a
 * word lost, or an old generation after full GC that grows by more than 32 MB or passes 128 MB.
 * Run: {@code mvnl -B -o verify -pl itests -Dtest=SlowPeerProcessesBench}; {@code -Dseconds=N},
 * {@code -DsinkKbPerSecond=N} change the length and the sink's pace.
 */
public class SlowPeerProcessesBench {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    @Test
    public void slowPeer() throws Exception {
        SlowPeerProcesses.Result r = SlowPeerProcesses.run(SlowPeerProcesses.distributionWith256Mb(TMP.getRoot().toPath()),
                new SlowPeerProcesses.Settings(Duration.ofSeconds(Long.getLong("seconds", 180)), Duration.ofSeconds(10),
                        Duration.ofSeconds(30), Integer.getInteger("sinkKbPerSecond", 2048), 32, 128),
                System.out);
        assertTrue("the run failed: " + r.failures, r.failures.isEmpty());
    }
}
