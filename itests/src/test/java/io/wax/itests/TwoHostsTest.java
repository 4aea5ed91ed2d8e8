package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Two "hosts": two Linux network namespaces joined by a veth pair, each with its own address on
 * a private subnet, made by the test (as root) and removed afterwards. A {@code bin/wax} process
 * in each runs {@code wordcount} as one cluster over those addresses (not loopback: the two have
 * no network in common but the veth pair), and together they give the single-process counts.
 * Skipped, with the reason printed, only where {@code ip netns} itself is unavailable.
 */
public class TwoHostsTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static final String SUBNET = "10.213.15.";
    private static Path home;
    private final String tag = Long.toString(ProcessHandle.current().pid() % 1_000_000);
    /** Namespace names, and the veth end in each (interface names are at most 15 characters). */
    private final String[] ns = {"wax-host0-" + tag, "wax-host1-" + tag};
    private final String[] veth = {"wxh0-" + tag, "wxh1-" + tag};
    private final List<String> created = new ArrayList<>();

    @BeforeClass
    public static void copyDistribution() throws Exception {
        String why = whyNoNamespaces();
        if (why != null) {
            System.out.println("TwoHostsTest skipped: " + why);
        }
        Assume.assumeTrue("network namespaces are unavailable here: " + why, why == null);
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        assertEquals(0, WaxProcess.run(home, Map.of(), "", "flows").exitCode());
    }

    /** Why {@code ip netns} cannot be used here, or null when it can. */
    private static String whyNoNamespaces() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'ip netns list' did not answer within 10 s";
            }
            return p.exitValue() == 0 ? null : "'ip netns list' failed: " + out.strip();
        } catch (IOException e) {
            return "the 'ip' command cannot be run (" + e.getMessage() + ")";
        }
    }

    @Before
    public void makeHosts() throws Exception {
        for (int i = 0; i < 2; i++) {
            ip("netns", "add", ns[i]);
            created.add(ns[i]);
        }
        // The pair is made inside the namespaces directly: nothing is added to this machine's own network.
        ip("link", "add", veth[0], "netns", ns[0], "type", "veth", "peer", "name", veth[1], "netns", ns[1]);
        for (int i = 0; i < 2; i++) {
            ip("-n", ns[i], "addr", "add", address(i) + "/24", "dev", veth[i]);
            ip("-n", ns[i], "link", "set", veth[i], "up");
            ip("-n", ns[i], "link", "set", "lo", "up");
        }
    }

    /** Deleting a namespace deletes its end of the pair, and with it the other end. */
    @After
    public void removeHosts() throws Exception {
        List<String> failed = new ArrayList<>();
        for (String n : created) {
            if (run("ip", "netns", "del", n) != 0) {
                failed.add(n);
            }
        }
        created.clear();
        assertTrue("could not delete the namespaces " + failed, failed.isEmpty());
    }

    private static String address(int host) {
        return SUBNET + (host + 1);
    }

    @Test
    public void wordcountOnTwoHostsGivesTheSingleProcessCounts() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("w").append(i % 23).append(" w").append((i * 7) % 31).append(" common\n");
        }
        WaxProcess single = WaxProcess.run(home, Map.of(), text.toString(), "run", "wordcount", "-w2");
        assertEquals(single.err(), 0, single.exitCode());
        String a = address(0) + ":2101;" + address(1) + ":2101";
        List<WaxProcess> ps = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                List<String> cmd = List.of("ip", "netns", "exec", ns[i], "env", "--default-signal=HUP,INT,TERM",
                        home.resolve("bin/wax").toString(), "run", "wordcount", "-w2", "-i" + i, "-a", a);
                ps.add(WaxProcess.command(home, Map.of("WAX_CLUSTER_SECRET", "two hosts"), cmd));
            }
            List<String> all = new ArrayList<>();
            for (WaxProcess p : ps) {
                // Each host gets the text; only the one whose worker owns the "stdin" partition reads it.
                p.send(text.toString());
                p.closeInput();
            }
            for (WaxProcess p : ps) {
                assertEquals(p.err(), 0, p.exitCode());
                all.addAll(p.outLines());
            }
            assertTrue("both hosts print counts: " + ps.get(0).outLines() + " / " + ps.get(1).outLines(),
                    !ps.get(0).outLines().isEmpty() && !ps.get(1).outLines().isEmpty());
            assertEquals(finals(single.outLines()), finals(all));
        } finally {
            ps.forEach(WaxProcess::close);
            for (WaxProcess p : ps) {
                p.exitCodeWithin(java.time.Duration.ofSeconds(10));
            }
        }
    }

    private static Map<String, Integer> finals(List<String> lines) {
        Map<String, Integer> last = new TreeMap<>();
        for (String line : lines) {
            String[] wc = line.split(" ");
            last.merge(wc[0], Integer.parseInt(wc[1]), Math::max);
        }
        return last;
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        int code = run(cmd.toArray(String[]::new));
        assertEquals(String.join(" ", cmd) + " failed", 0, code);
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", cmd) + ": " + out.strip());
        }
        return p.exitValue();
    }
}
