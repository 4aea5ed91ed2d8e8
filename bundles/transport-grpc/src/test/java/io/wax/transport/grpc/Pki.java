package io.wax.transport.grpc;

import io.wax.spi.transport.ClusterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Certificates for the tests, made with openssl as the README shows. */
final class Pki {
    private Pki() {
    }

    static void ca(Path dir, String name) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", name + ".key", "-out", name + ".pem");
    }

    static void member(Path dir, String ca, String name) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".rsa", "-out", name + ".csr");
        run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "2", "-out", name + ".pem");
        run(dir, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", name + ".rsa", "-out", name + ".key");
    }

    static ClusterSpec.Security security(Path dir, String ca, String name) {
        return new ClusterSpec.Security(dir.resolve(name + ".pem"), dir.resolve(name + ".key"), dir.resolve(ca + ".pem"), null);
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
