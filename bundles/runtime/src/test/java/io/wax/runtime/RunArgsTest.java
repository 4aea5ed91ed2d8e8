package io.wax.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunArgsTest {
    private static RunArgs parse(String... args) {
        return RunArgs.parse(List.of(args), Map.of());
    }

    private static String error(Map<String, String> env, String... args) {
        return assertThrows(UsageException.class, () -> RunArgs.parse(List.of(args), env)).getMessage();
    }

    @Test
    void workersInEveryForm() {
        assertEquals(3, parse("simple", "-w3").flags().workers());
        assertEquals(3, parse("-w", "3", "simple").flags().workers());
        assertEquals(3, parse("simple", "--workers-per-process", "3").flags().workers());
        assertEquals(3, parse("simple", "--workers-per-process=3").flags().workers());
        assertEquals(1, parse("simple").flags().workers());
        assertEquals("simple", parse("simple", "-w3").getter());
    }

    @Test
    void environmentTwinsAndFlagsWin() {
        Map<String, String> env = Map.of("WAX_WORKERS_PER_PROCESS", "4", "WAX_EPOCH_INTERVAL", "500ms");
        RunArgs a = RunArgs.parse(List.of("simple"), env);
        assertEquals(4, a.flags().workers());
        assertEquals(Duration.ofMillis(500), a.flags().epochInterval());
        assertEquals(2, RunArgs.parse(List.of("simple", "-w2"), env).flags().workers());
        assertTrue(error(Map.of("WAX_WORKERS_PER_PROCESS", "x"), "simple").startsWith("WAX_WORKERS_PER_PROCESS needs a whole number"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(10), parse("simple").flags().epochInterval());
        assertEquals(Duration.ofSeconds(10), parse("simple", "--epoch-interval", "10s").flags().epochInterval());
        assertEquals(Duration.ofMinutes(2), parse("simple", "--epoch-interval=2m").flags().epochInterval());
        assertEquals(Duration.ofMillis(1500), parse("simple", "--epoch-interval", "1.5").flags().epochInterval());
        assertTrue(error(Map.of(), "simple", "--epoch-interval", "soon").contains("needs a duration"));
        // Bytewax's zero epoch interval: an epoch per batch. Anything between 0 and 1 ms is refused.
        assertEquals(Duration.ZERO, parse("simple", "--epoch-interval", "0").flags().epochInterval());
        assertEquals(Duration.ZERO, parse("simple", "--epoch-interval", "0s").flags().epochInterval());
        assertTrue(error(Map.of(), "simple", "--epoch-interval", "0.0001").contains("at least 1ms"));
        assertTrue(error(Map.of(), "simple", "-r", "state", "-s", "0").contains("at least 1ms"));
    }

    @Test
    void clusterFlagsAreChecked() {
        RunFlags f = parse("simple", "-i1", "-a", "h1:2101;h2:2101").flags();
        assertEquals(1, f.processId());
        assertEquals(List.of("h1:2101", "h2:2101"), f.addresses());
        assertNull(f.unavailable());
        assertEquals(ClusterOptions.DEFAULT_TIMEOUT, f.cluster().timeout());
        assertEquals(Duration.ofSeconds(5), parse("simple", "-i1", "-a", "h1:2101;h2:2101", "--cluster-timeout", "5s").flags().cluster().timeout());
        assertTrue(error(Map.of(), "simple", "-i0", "-a", "h:1", "--tls-cert", "c.pem").contains("--tls-key, --tls-ca are missing"));
        assertTrue(error(Map.of(), "simple", "-i0", "-a", "h:1", "--cluster-secret-file", "/nonexistent/s").contains("cannot read /nonexistent/s"));
        assertTrue(error(Map.of(), "simple", "-i0").contains("requires -a"));
        assertTrue(error(Map.of(), "simple", "-a", "h:1").contains("requires -i"));
        assertTrue(error(Map.of(), "simple", "-i2", "-a", "h1:1;h2:2").contains("between 0 and 1"));
        assertTrue(error(Map.of(), "simple", "-i0", "-a", "nohost").contains("HOST:PORT"));
    }

    @Test
    void recoveryFlagsAreChecked() {
        RunFlags f = parse("simple", "-r", "/tmp/rec", "-s", "5s", "-b", "60s").flags();
        assertEquals(Duration.ofSeconds(5), f.snapshotInterval());
        assertEquals(Duration.ofSeconds(10), f.epochInterval(), "-s does not set the epoch length (Bytewax #353)");
        assertNull(f.unavailable());
        assertEquals(Duration.ofSeconds(1), parse("simple", "-r", "d", "-s", "5s", "--epoch-interval", "1s").flags().epochInterval());
        assertTrue(parse("simple", "-r", "d", "--allow-new-steps").flags().allowNewSteps());
        assertTrue(!parse("simple", "-r", "d").flags().allowNewSteps());
        assertTrue(RunArgs.parse(List.of("simple", "-r", "d"), Map.of("WAX_ALLOW_NEW_STEPS", "true")).flags().allowNewSteps());
        assertTrue(error(Map.of(), "simple", "--allow-new-steps").contains("requires -r"));
        assertTrue(error(Map.of(), "simple", "-s", "5s").contains("requires -r"));
        assertTrue(error(Map.of(), "simple", "-r", "d", "-b", "x").contains("-b/--backup-interval needs a duration"));
        assertNull(parse("simple", "-w2").flags().unavailable());
    }

    @Test
    void badCommandLines() {
        assertTrue(error(Map.of(), "simple", "--bogus").contains("unknown flag '--bogus'"));
        assertTrue(error(Map.of(), "simple", "-x").contains("unknown flag"));
        assertTrue(error(Map.of(), "simple", "-w").contains("needs a value"));
        assertTrue(error(Map.of(), "simple", "-w0").contains("at least 1"));
        assertTrue(error(Map.of(), "simple", "other").contains("one flow getter"));
        assertTrue(error(Map.of()).contains("which flow"));
        assertTrue(parse("--help").help());
    }

    @Test
    void aFlagGivenTwiceIsRefusedButMayOverrideItsVariable() {
        assertEquals("-w/--workers-per-process is given twice ('-w2' and '--workers-per-process=3'); give it once",
                error(Map.of(), "simple", "-w2", "--workers-per-process=3"));
        assertTrue(error(Map.of(), "simple", "--epoch-interval", "1s", "--epoch-interval", "2s").contains("given twice"));
        assertEquals(2, RunArgs.parse(List.of("simple", "-w2"), Map.of("WAX_WORKERS_PER_PROCESS", "5")).flags().workers());
    }

    @Test
    void emptyValuesSayWhatIsMissing() {
        assertEquals("the flow getter is empty: give a deployed flow's name, e.g. wax run simple (wax flows lists them)",
                error(Map.of(), ""));
        assertEquals("-r/--recovery-directory is empty: give the directory of the recovery partitions, e.g. -r state/",
                error(Map.of(), "simple", "-r", ""));
        assertTrue(error(Map.of(), "simple", "--epoch-interval=").startsWith("--epoch-interval is empty: give a duration"));
    }

    @Test
    void workerCountsAreBounded() {
        assertEquals(RunFlags.MAX_WORKERS, parse("simple", "-w" + RunFlags.MAX_WORKERS).flags().workers());
        assertTrue(error(Map.of(), "simple", "-w5000").startsWith("-w/--workers-per-process is too large: at most 256 workers"));
        assertEquals("-w/--workers-per-process is too large: got 99999999999", error(Map.of(), "simple", "-w99999999999"));
        assertTrue(error(Map.of(), "simple", "-wmany").contains("needs a whole number, got 'many'"));
    }

    @Test
    void metricsPortAndHost() {
        RunFlags off = parse("simple").flags();
        assertEquals(0, off.metricsPort(), "metrics are off unless asked for");
        RunFlags on = parse("simple", "--metrics-port", "9100").flags();
        assertEquals(9100, on.metricsPort());
        assertEquals("127.0.0.1", on.metricsHost(), "loopback unless --metrics-host says otherwise");
        RunFlags env = RunArgs.parse(List.of("simple"), Map.of("WAX_METRICS_PORT", "9200", "WAX_METRICS_HOST", "0.0.0.0")).flags();
        assertEquals(9200, env.metricsPort());
        assertEquals("0.0.0.0", env.metricsHost());
        assertEquals(9300, RunArgs.parse(List.of("simple", "--metrics-port=9300"), Map.of("WAX_METRICS_PORT", "9200")).flags().metricsPort());
        assertEquals("--metrics-port must be a port from 1 to 65535, got 0", error(Map.of(), "simple", "--metrics-port", "0"));
        assertEquals("--metrics-host requires --metrics-port: the port to serve metrics on",
                error(Map.of(), "simple", "--metrics-host", "0.0.0.0"));
        assertEquals("WAX_METRICS_PORT needs a whole number, got 'x'", error(Map.of("WAX_METRICS_PORT", "x"), "simple"));
        assertEquals(9100, parse("simple", "-w2", "--metrics-port", "9100").flags().withWorkers(3).metricsPort(),
                "withWorkers keeps the metrics port");
    }
}
