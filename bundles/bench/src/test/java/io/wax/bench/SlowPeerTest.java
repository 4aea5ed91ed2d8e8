package io.wax.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's backpressure promise, shortened to 20 s: {@link SlowPeer} in a JVM of its own with a
 * 256 MB heap (for both of its processes) and bin/wax's JVM options. A source held back by nothing
 * would fill that heap within seconds (it reads millions of 100-character strings a second, the
 * sink takes about 200,000); with backpressure the run completes, every item arrives, and the
 * source never leads the sink by more than what the transport and the inbox may hold.
 */
class SlowPeerTest {
    /**
     * The most items the source may lead by: frames of 1,024 items, 64 queued at process 0 and 64
     * requested by process 1 (Node.WINDOW each), HTTP/2's 1 MB window (about 10 such frames), one
     * batch being read and one being written; about 150,000 items, so 400,000 is generous and still
     * a fraction of what an unbounded run reads in 20 s.
     */
    private static final long MAX_LEAD = 400_000;

    @Test
    void aFastSourceIsHeldBackByASlowSinkInTheOtherProcessWithin256Mb() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        for (String o : System.getProperty("wax.jvm.options", "").trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                SlowPeer.class.getName(), "seconds=20", "every=2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Thread reader = new Thread(() -> r.lines().forEach(l -> {
                System.out.println("slow-peer | " + l);
                synchronized (lines) {
                    lines.add(l);
                }
            }), "slow-peer-output");
            reader.start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(10_000);
            assertTrue(ended, "the 20 s run did not end within 120 s");
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        String all;
        synchronized (lines) {
            all = String.join("\n", lines);
        }
        assertEquals(0, p.exitValue(), "the run failed (an OutOfMemoryError exits 3):\n" + all);
        Map<String, Long> result = null;
        for (String l : lines) {
            if (l.startsWith("RESULT slow-peer ")) {
                result = fields(l);
            }
        }
        assertNotNull(result, "no RESULT line:\n" + all);
        assertEquals(result.get("read"), result.get("written"), "items went missing");
        assertTrue(result.get("written") >= 200_000, "the sink took too few items to show anything: " + result);
        assertTrue(result.get("max_lead_items") <= MAX_LEAD, "the source ran ahead of the slow sink: " + result);
        assertTrue(result.get("max_lead_items") > 0, "the monitor never saw the source ahead: " + result);
    }

    private static Map<String, Long> fields(String line) {
        Map<String, Long> m = new HashMap<>();
        for (String f : line.split(" ")) {
            int eq = f.indexOf('=');
            if (eq > 0) {
                m.put(f.substring(0, eq), (long) Double.parseDouble(f.substring(eq + 1)));
            }
        }
        return m;
    }
}
