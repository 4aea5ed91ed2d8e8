package io.wax.connectors.kafka.internal;

import java.util.List;

/**
 * Checks bootstrap addresses when a config is built, so that a typo fails with the address named
 * rather than with kafka-clients' "Invalid url in bootstrap.servers" deep inside a run.
 */
public final class Brokers {
    private Brokers() {
    }

    /** @throws IllegalArgumentException naming {@code who} ("Kafka source") and the bad address */
    public static void check(String who, List<String> brokers) {
        for (String b : brokers) {
            String a = b == null ? "" : b.trim();
            int colon = a.lastIndexOf(':');
            String host = colon < 0 ? a : a.substring(0, colon);
            String port = colon < 0 ? "" : a.substring(colon + 1);
            boolean hostOk = !host.isEmpty() && host.chars().noneMatch(Character::isWhitespace) && !host.contains(",");
            int p = port.matches("\\d{1,5}") ? Integer.parseInt(port) : -1;
            if (!hostOk || p < 1 || p > 65535) {
                throw new IllegalArgumentException(who + ": broker address '" + b + "' is not HOST:PORT with a port from 1"
                        + " to 65535 (e.g. 127.0.0.1:9092); give each broker of the list that way");
            }
        }
    }
}
