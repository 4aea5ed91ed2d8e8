package io.wax.transport.grpc.internal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS between members: every process presents a certificate signed by the cluster's CA and
 * accepts only peers that do. Membership is the CA's signature, so host names are not checked
 * (addresses in {@code -a} may be IPs, pod names or NAT'd names that no certificate lists).
 */
public final class Tls {
    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    private Tls() {
    }

    public static SslContext server(ClusterSpec.Security s) throws TransportException {
        try {
            return GrpcSslContexts.forServer(s.certificate().toFile(), s.privateKey().toFile())
                    .trustManager(trust(s.trustedCa())).clientAuth(ClientAuth.REQUIRE).build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TransportException("cannot use the TLS files (--tls-cert " + s.certificate() + ", --tls-key " + s.privateKey()
                    + ", --tls-ca " + s.trustedCa() + "): " + e.getMessage() + " (the key must be PEM, PKCS#8)", e);
        }
    }

    public static SslContext client(ClusterSpec.Security s) throws TransportException {
        try {
            return GrpcSslContexts.forClient().keyManager(s.certificate().toFile(), s.privateKey().toFile())
                    .trustManager(trust(s.trustedCa())).build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TransportException("cannot use the TLS files (--tls-cert " + s.certificate() + ", --tls-key " + s.privateKey()
                    + ", --tls-ca " + s.trustedCa() + "): " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager trust(Path ca) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(ca)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
        }
        if (i == 0) {
            throw new GeneralSecurityException(ca + " holds no PEM certificate");
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager t : f.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return new MembersOnly(x);
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Checks the chain against the CA only (see the class comment), and logs who was refused. */
    private static final class MembersOnly extends X509ExtendedTrustManager {
        private final X509TrustManager ca;

        MembersOnly(X509TrustManager ca) {
            this.ca = ca;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                ca.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                LOG.warn("refused a TLS connection from {}: its certificate ({}) is not signed by the cluster's CA",
                        "a peer", chain.length == 0 ? "none" : chain[0].getSubjectX500Principal());
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            ca.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
            try {
                ca.checkClientTrusted(chain, authType);
            } catch (CertificateException x) {
                LOG.warn("refused a TLS connection from {}: its certificate ({}) is not signed by the cluster's CA",
                        e == null || e.getPeerHost() == null ? "a peer" : e.getPeerHost() + ":" + e.getPeerPort(),
                        chain.length == 0 ? "none" : chain[0].getSubjectX500Principal());
                throw x;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return ca.getAcceptedIssuers();
        }
    }
}
