package io.wax.spi.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where this process sits in its cluster and how peers prove they belong to it.
 *
 * @param processId this process's index in {@code addresses}
 * @param addresses every process of the cluster, {@code host:port}, in process order
 * @param connectTimeout how long to wait for every peer to answer
 * @param security how peers authenticate each other
 */
public record ClusterSpec(int processId, List<String> addresses, Duration connectTimeout, Security security) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public ClusterSpec {
        addresses = List.copyOf(addresses);
        if (processId < 0 || processId >= addresses.size()) {
            throw new IllegalArgumentException("process id " + processId + " is not an index of " + addresses.size() + " addresses");
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (security == null) {
            security = Security.NONE;
        }
    }

    public int processCount() {
        return addresses.size();
    }

    /**
     * Mutual TLS with certificates signed by a shared CA, and/or a shared secret that each side
     * proves in the handshake without sending it. With neither, any process that can reach a
     * port can join: the transport says so in one warning.
     *
     * @param certificate this process's certificate chain (PEM), or null
     * @param privateKey its private key (PEM, PKCS#8), or null
     * @param trustedCa the CA that signs every member's certificate (PEM), or null
     * @param secret the cluster's shared secret, or null
     */
    public record Security(Path certificate, Path privateKey, Path trustedCa, String secret) {
        public static final Security NONE = new Security(null, null, null, null);

        public boolean tls() {
            return certificate != null;
        }

        @Override
        public String toString() {
            // Never print the secret.
            return "Security[tls=" + tls() + ", secret=" + (secret != null) + "]";
        }
    }
}
