package io.wax.connectors.kafka.internal;

import java.time.Duration;
import java.util.Set;

/** Small helpers for kafka-clients settings. */
final class ClientConfigs {
    private ClientConfigs() {
    }

    /** Consumer or producer settings that an admin client also accepts (connection and security). */
    static boolean isCommon(String key) {
        return key.startsWith("security.") || key.startsWith("ssl.") || key.startsWith("sasl.")
                || COMMON.contains(key);
    }

    private static final Set<String> COMMON = Set.of("client.dns.lookup", "connections.max.idle.ms",
            "reconnect.backoff.ms", "reconnect.backoff.max.ms", "retry.backoff.ms", "retry.backoff.max.ms",
            "socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.max.ms", "metadata.max.age.ms",
            "send.buffer.bytes", "receive.buffer.bytes", "metric.reporters", "metrics.num.samples",
            "metrics.recording.level", "metrics.sample.window.ms");

    static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
