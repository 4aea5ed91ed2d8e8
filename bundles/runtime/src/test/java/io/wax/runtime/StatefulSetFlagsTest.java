package io.wax.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kubernetes forms of the cluster flags: {@code -i ordinal} and {@code --addresses-from}. */
class StatefulSetFlagsTest {
    private static RunFlags parse(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("simple"));
        all.addAll(List.of(args));
        return RunArgs.parse(all, env).flags();
    }

    private static String error(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("simple"));
        all.addAll(List.of(args));
        return assertThrows(UsageException.class, () -> RunArgs.parse(all, env)).getMessage();
    }

    private static Map<String, String> host(String name) {
        return Map.of("HOSTNAME", name);
    }

    @Test
    void addressesExpandFromThePatternAndTheProcessCount() {
        RunFlags f = parse(Map.of(), "-i", "1", "--addresses-from", "wax-{i}.wax:2101", "--processes", "3");
        assertEquals(List.of("wax-0.wax:2101", "wax-1.wax:2101", "wax-2.wax:2101"), f.addresses());
        assertEquals(1, f.processId());
        assertEquals(List.of("w-0.w.ns.svc:9", "w-1.w.ns.svc:9"),
                parse(Map.of(), "-i0", "--addresses-from=w-{i}.w.ns.svc:9", "--processes=2").addresses());
        assertEquals(List.of("h-0:7000", "h-1:7001"), parse(Map.of(), "-i0", "--addresses-from", "h-{i}:700{i}", "--processes", "2").addresses(),
                "every {i} is replaced");
    }

    @Test
    void theResultIsWhatTheEquivalentDashAGives() {
        RunFlags expanded = parse(host("wax-2"), "-i", "ordinal", "--addresses-from", "wax-{i}.wax:2101", "--processes", "3");
        RunFlags explicit = parse(Map.of(), "-i", "2", "-a", "wax-0.wax:2101;wax-1.wax:2101;wax-2.wax:2101");
        assertEquals(explicit, expanded);
        assertNull(expanded.unavailable(), "runs like -i/-a");
    }

    @Test
    void theOrdinalComesFromTheHostName() {
        String[] cluster = {"--addresses-from", "wax-{i}.wax:2101", "--processes", "16"};
        assertEquals(0, parse(host("wax-0"), with(cluster, "-i", "ordinal")).processId());
        assertEquals(12, parse(host("my-flow-12"), with(cluster, "-i", "ordinal")).processId());
        assertEquals(3, parse(host("wax-3.wax.default.svc.cluster.local"), with(cluster, "-i", "ordinal")).processId());
        assertEquals(1, parse(host("wax-1"), with(cluster, "--process-id=ordinal")).processId());
        Map<String, String> env = new HashMap<>(Map.of("HOSTNAME", "wax-2", "WAX_PROCESS_ID", "ordinal",
                "WAX_ADDRESSES_FROM", "wax-{i}.wax:2101", "WAX_PROCESSES", "3"));
        RunFlags fromEnv = parse(env);
        assertEquals(2, fromEnv.processId());
        assertEquals(3, fromEnv.addresses().size());
        assertEquals(0, parse(env, "-i0").processId(), "a flag on the command line wins over its variable");
    }

    @Test
    void badHostNamesSayWhatIsWrong() {
        String[] cluster = {"--addresses-from", "wax-{i}.wax:2101", "--processes", "3"};
        for (String bad : List.of("wax", "wax-", "wax-x", "-2", "Wax-1", "wax_1", "wax-99999999999", "wax-1-")) {
            String e = error(host(bad), with(cluster, "-i", "ordinal"));
            assertTrue(e.startsWith("-i/--process-id ordinal "), e);
            assertTrue(e.contains("'" + bad + "'"), e);
        }
        String unset = error(Map.of(), with(cluster, "-i", "ordinal"));
        assertTrue(unset.contains("HOSTNAME, which is not set"), unset);
        String fromEnv = error(Map.of("HOSTNAME", "laptop", "WAX_PROCESS_ID", "ordinal"), cluster);
        assertTrue(fromEnv.startsWith("WAX_PROCESS_ID ordinal reads the StatefulSet pod's ordinal"), fromEnv);
    }

    @Test
    void ordinalsOutOfRange() {
        String e = error(host("wax-3"), "-i", "ordinal", "--addresses-from", "wax-{i}.wax:2101", "--processes", "3");
        assertEquals("-i/--process-id (the ordinal of host name 'wax-3') must be between 0 and 2 for 3 addresses, got 3", e);
        assertTrue(error(host("wax-1"), "-i", "ordinal", "-a", "only:2101").contains("between 0 and 0"));
        assertTrue(error(Map.of(), "-i", "5", "--addresses-from", "wax-{i}.wax:2101", "--processes", "2").contains("got 5"));
    }

    @Test
    void badPatternsAndCounts() {
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax.wax:2101", "--processes", "3").contains("with {i} where the process index goes"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax-{i}.wax", "--processes", "2")
                .contains("must give HOST:PORT (port 1-65535), e.g. \"wax-{i}.wax:2101\"; 'wax-{i}.wax' gives 'wax-0.wax'"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax-{i}:99999", "--processes", "2").contains("gives 'wax-0:99999'"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "a-{i}:1;b-{i}:2", "--processes", "2").contains("not a list"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax-{i}.wax:2101").contains("requires --processes"));
        assertTrue(error(Map.of(), "-i0", "--processes", "3").contains("--processes requires --addresses-from"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax-{i}.wax:2101", "--processes", "0").contains("between 1 and 1024, got 0"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax-{i}.wax:2101", "--processes", "5000").contains("got 5000"));
        assertTrue(error(Map.of(), "-i0", "--addresses-from", "wax-{i}.wax:2101", "--processes", "three").contains("needs a whole number"));
        assertTrue(error(Map.of(), "-i0", "-a", "h:1", "--addresses-from", "wax-{i}.wax:2101", "--processes", "2")
                .contains("-a/--addresses and --addresses-from both give the cluster's addresses"));
        assertTrue(error(Map.of(), "--addresses-from", "wax-{i}.wax:2101", "--processes", "2").contains("--addresses-from requires -i"));
        assertTrue(error(Map.of("WAX_PROCESSES", "2"), "-i0", "-a", "h:1").contains("WAX_PROCESSES requires --addresses-from"));
    }

    /** {@code first} followed by {@code cluster}. */
    private static String[] with(String[] cluster, String... first) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(cluster));
        return all.toArray(new String[0]);
    }
}
