package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Only members talk, on whole {@code bin/wax} processes: while a 2-process {@code wordcount}
 * cluster runs, strangers knock on its ports: a plain TCP client, a {@code bin/wax} process with a
 * wrong secret, and (on a TLS cluster) one whose certificate another CA signed. The members' output
 * holds exactly the counts of their own input (the strangers' input word never appears: nothing
 * was injected), the run goes on and ends normally, and the members' log names each stranger's address.
 */
public class ClusterStrangersTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static Path home;
    private static Path pki;

    @BeforeClass
    public static void setUp() throws Exception {
        home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        assertEquals(0, WaxProcess.run(home, Map.of(), "", "flows").exitCode());
        pki = TMP.newFolder("pki").toPath();
        // The README's openssl commands: a CA with two members, and another CA with a stranger.
        ca("ca");
        ca("other");
        member("ca", "p0");
        member("ca", "p1");
        member("other", "stranger");
    }

    @Test
    public void aPlainTcpClientAndAWrongSecretDeliverNothingAndAreNamed() throws Exception {
        List<String> secret = List.of("--cluster-secret-file", write("secret", "the members' secret").toString());
        List<String> wrong = List.of("--cluster-secret-file", write("wrong", "a guess").toString());
        strangersDeliverNothing(secret, secret, wrong);
    }

    @Test
    public void aCertificateFromAnotherCaDeliversNothingAndIsNamed() throws Exception {
        strangersDeliverNothing(tls("ca", "p0"), tls("ca", "p1"), tls("other", "stranger"));
    }

    private static void strangersDeliverNothing(List<String> flags0, List<String> flags1, List<String> strangerFlags)
            throws Exception {
        String[] three = ClusterTest.addresses(3).split(";");
        String a = three[0] + ";" + three[1];
        try (WaxProcess p0 = member(0, a, flags0); WaxProcess p1 = member(1, a, flags1)) {
            // stdin stays open: the run goes on while the strangers knock.
            p0.send("x\n");
            p1.send("x\n");
            Await.until(Duration.ofSeconds(60), () -> (p0.out() + p1.out()).contains("x 1"),
                    () -> "the cluster never ran: " + p0.err() + p1.err());

            int plainPort = plainTcpClient(three[0]);
            // A third process of a cluster of three, listening on the free address, dialling both members.
            List<String> args = new ArrayList<>(List.of("run", "wordcount", "-i2", "-a", String.join(";", three),
                    "--cluster-timeout", "5s"));
            args.addAll(strangerFlags);
            try (WaxProcess stranger = WaxProcess.start(home, Map.of(), args.toArray(String[]::new))) {
                stranger.send("intruder intruder\n");
                stranger.closeInput();
                assertNotEquals(stranger.err(), 0, stranger.exitCode(Duration.ofSeconds(60)));
            }
            Await.until(Duration.ofSeconds(10), () -> closedFrom(p0.err()) >= 2,
                    () -> "process 0 names the plain client and the stranger: " + p0.err());
            assertTrue(p0.err(), p0.err().contains("closed a connection from /127.0.0.1:" + plainPort));

            for (WaxProcess p : List.of(p0, p1)) {
                p.send("y x\n");
                p.closeInput();
            }
            List<String> all = new ArrayList<>();
            for (WaxProcess p : List.of(p0, p1)) {
                assertEquals(p.err(), 0, p.exitCode());
                all.addAll(p.outLines());
            }
            Collections.sort(all);
            assertEquals("the members' counts, nothing injected", List.of("x 1", "x 2", "y 1"), all);
        }
    }

    private static WaxProcess member(int id, String addresses, List<String> flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "wordcount", "-i" + id, "-a", addresses,
                "--epoch-interval", "100ms"));
        args.addAll(flags);
        return WaxProcess.start(home, Map.of(), args.toArray(String[]::new));
    }

    private static int closedFrom(String log) {
        int n = 0;
        for (int i = log.indexOf("closed a connection from"); i >= 0; i = log.indexOf("closed a connection from", i + 1)) {
            n++;
        }
        return n;
    }

    /** Sends what is not a gRPC handshake to {@code address}, reads until the member closes; returns the client's port. */
    private static int plainTcpClient(String address) throws IOException {
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\nintruder 1\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // whatever the member answers (an HTTP/2 GOAWAY), until it closes the connection
            }
            return s.getLocalPort();
        }
    }

    private static List<String> tls(String ca, String name) {
        return List.of("--tls-cert", pki.resolve(name + ".pem").toString(), "--tls-key",
                pki.resolve(name + "-pkcs8.key").toString(), "--tls-ca", pki.resolve(ca + ".pem").toString());
    }

    private static Path write(String name, String text) throws IOException {
        return java.nio.file.Files.writeString(TMP.getRoot().toPath().resolve(name), text);
    }

    private static void ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", name + ".key", "-out", name + ".pem");
    }

    private static void member(String ca, String name) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".key",
                "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "2", "-out", name + ".pem");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".key", "-out", name + "-pkcs8.key");
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("openssl did not finish: " + cmd, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", cmd) + ": " + out, 0, p.exitValue());
    }
}
