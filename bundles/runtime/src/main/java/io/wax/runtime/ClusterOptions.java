package io.wax.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a process of a cluster waits for its peers and proves it belongs ({@code --cluster-timeout},
 * {@code WAX_CLUSTER_SECRET} or {@code --cluster-secret-file}, {@code --tls-cert}/{@code --tls-key}/{@code --tls-ca}).
 *
 * @param timeout how long to wait for every peer to answer
 * @param secret the shared secret, or {@code null}
 * @param tlsCert this process's certificate (PEM), or {@code null} without TLS
 * @param tlsKey its private key (PEM, PKCS#8), or {@code null}
 * @param tlsCa the CA that signs every member's certificate (PEM), or {@code null}
 */
public record ClusterOptions(Duration timeout, String secret, Path tlsCert, Path tlsKey, Path tlsCa) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final ClusterOptions DEFAULTS = new ClusterOptions(DEFAULT_TIMEOUT, null, null, null, null);

    @Override
    public String toString() {
        // Never print the secret.
        return "ClusterOptions[timeout=" + timeout + ", secret=" + (secret != null) + ", tls=" + (tlsCert != null) + "]";
    }
}
