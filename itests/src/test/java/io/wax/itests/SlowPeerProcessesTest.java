package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 15's backpressure promise with two real {@code bin/wax} processes, shortened to 20 s
 * ({@link SlowPeerProcesses}; {@code SlowPeerProcessesBench} runs it for 3 minutes): wordcount's
 * reader is fed 100-character words as fast as its pipe takes them, every word goes to the other
 * process, whose output is read at 2 MB/s, and each process has a 256 MB heap set in its
 * etc/jvm.options. Unbounded, the reader reads millions of words a second against the sink's
 * twenty thousand: the lead would pass a million within a second and a heap would overflow within
 * seconds. The bounds are generous: the run must end with both processes alive until their input
 * ends and exiting 0, no OutOfMemoryError, every word counted, items flowing, the reader held back,
 * its lead within what the transport and the inbox may hold, and the old generation after full GC
 * small and not growing.
 */
public class SlowPeerProcessesTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    /**
     * The most words the reader may lead the sink's output step by: 64 frames queued at the reader
     * and 64 requested by the sink, HTTP/2's window, the sink's inbox (32,768) and a batch in each
     * step: a few hundred thousand (SlowPeer's one-JVM run: 141,312), so 600,000 is generous and a
     * fraction of what half a second of unbounded reading gives.
     */
    private static final long MAX_LEAD = 600_000;

    @Test
    public void aFastSourceIsHeldBackByASlowSinkInTheOtherProcessWithin256MbEach() throws Exception {
        SlowPeerProcesses.Result r = SlowPeerProcesses.run(SlowPeerProcesses.distributionWith256Mb(TMP.getRoot().toPath()),
                new SlowPeerProcesses.Settings(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(5), 2048, 64, 128),
                System.out);
        assertEquals("the run failed: " + r.failures, 0, r.failures.size());
        assertEquals(0, r.exitCodes[0]);
        assertEquals(0, r.exitCodes[1]);
        assertTrue("too few words reached the sink to show anything: " + r.written, r.written >= 50_000);
        assertEquals("every word fed is counted once", r.fed, r.linesOut);
        assertTrue("the reader ran ahead of the slow sink: lead " + r.maxLead, r.maxLead <= MAX_LEAD);
        assertTrue("the reader was never held back", r.backpressureSeconds > 1);
        assertTrue("fewer than 3 full-GC checkpoints: " + r.afterGcOld.size(), r.afterGcOld.size() >= 3);
        for (int p = 0; p < 2; p++) {
            assertTrue("process " + p + " runs without the 256 MB heap: " + r.heapMax[p], r.heapMax[p] > 0 && r.heapMax[p] <= 256L << 20);
        }
    }
}
