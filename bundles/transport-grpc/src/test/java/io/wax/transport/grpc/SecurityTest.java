package io.wax.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wax.api.Dataflow;
import io.wax.api.KV;
import io.wax.api.testing.TestingSink;
import io.wax.engine.Runner;
import io.wax.spi.transport.ClusterSpec;
import io.wax.spi.transport.Hello;
import io.wax.spi.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only members talk: a client with a wrong secret, a plain TCP client and a client whose
 * certificate another CA signed never get a process to form (nothing they send reaches an
 * engine), and the log names each one's address. Members with the right secret or certificates
 * run a flow.
 */
class SecurityTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void captureLog() {
        // slf4j-simple writes to whatever System.err is at the time of each line.
        oldErr = System.err;
        System.setErr(new PrintStream(new TeeStream(log, oldErr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(oldErr);
    }

    private String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private static Hello hello(int id) {
        return new Hello(1, id, 2, 1, "f", "", 42, 0);
    }

    /** Process 0 of a 2-process cluster, waiting {@code seconds} for process 1, in the background. */
    private static CompletableFuture<Throwable> lonely(List<String> addresses, ClusterSpec.Security s, int seconds) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                new GrpcTransport().connect(new ClusterSpec(0, addresses, Duration.ofSeconds(seconds), s), hello(0)).close();
                f.complete(null);
            } catch (TransportException | InterruptedException | RuntimeException e) {
                f.complete(e);
            }
        }, "lonely-member");
        t.start();
        return f;
    }

    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the log never said '" + text + "': " + log());
            Thread.sleep(20); // polling the log, not synchronising on time
        }
    }

    @Test
    void aWrongSecretIsRefusedAndNamed() throws Exception {
        // The member waits for a process 1 that never comes; the stranger (listening elsewhere) dials it.
        List<String> a = GrpcTransportTest.freeAddresses(3);
        CompletableFuture<Throwable> member = lonely(a.subList(0, 2), new ClusterSpec.Security(null, null, null, "right"), 6);
        List<String> strangers = List.of(a.get(0), a.get(1), a.get(2));
        TransportException e = assertThrows(TransportException.class, () -> new GrpcTransport().connect(
                new ClusterSpec(2, strangers, Duration.ofSeconds(6), new ClusterSpec.Security(null, null, null, "wrong")),
                new Hello(1, 2, 3, 1, "f", "", 42, 0)));
        assertTrue(e.getMessage().contains("process 0 at " + a.get(0) + " did not prove the cluster secret"), e.getMessage());
        // Each side checks the other's proof before it shows its own hello; the member names the stranger's address.
        awaitLog("process 0 closed a connection from /127.0.0.1");
        Throwable m = member.get(20, TimeUnit.SECONDS);
        assertTrue(m instanceof TransportException && m.getMessage().contains("never answered"), String.valueOf(m));
    }

    @Test
    void aPlainTcpClientGetsNothingAndIsNamed() throws Exception {
        List<String> a = GrpcTransportTest.freeAddresses(2);
        CompletableFuture<Throwable> member = lonely(a, new ClusterSpec.Security(null, null, null, "right"), 4);
        int port = Integer.parseInt(a.get(0).substring(a.get(0).indexOf(':') + 1));
        int local;
        try (Socket s = connect(port)) {
            local = s.getLocalPort();
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\nhello wax\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // whatever the server answers (an HTTP/2 GOAWAY), until it closes the connection
            }
        }
        awaitLog("closed a connection from /127.0.0.1:" + local);
        Throwable m = member.get(20, TimeUnit.SECONDS);
        assertTrue(m instanceof TransportException && m.getMessage().contains("never answered"), String.valueOf(m));
    }

    /** The server may not listen yet: retried for a few seconds. */
    private static Socket connect(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return new Socket("127.0.0.1", port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void membersWithTheCasCertificatesRunAndACertificateFromAnotherCaIsRefused(@TempDir Path dir) throws Exception {
        Pki.ca(dir, "ca");
        Pki.ca(dir, "other");
        Pki.member(dir, "ca", "p0");
        Pki.member(dir, "ca", "p1");
        Pki.member(dir, "other", "stranger");
        List<String> a = GrpcTransportTest.freeAddresses(2);
        // Members run a flow over TLS.
        List<TestingSink<KV<Long>>> sinks = List.of(new TestingSink<>(), new TestingSink<>());
        Runner.runCluster(p -> GrpcTransportTest.wordCount(sinks.get(p), 500), GrpcTransportTest.options(1), new GrpcTransport(), a,
                Pki.security(dir, "ca", "p" + 0));
        List<KV<Long>> all = new ArrayList<>(sinks.get(0).items());
        all.addAll(sinks.get(1).items());
        assertEquals(500, all.size());
        // A stranger whose certificate another CA signed.
        List<String> b = GrpcTransportTest.freeAddresses(2);
        CompletableFuture<Throwable> member = lonely(b, Pki.security(dir, "ca", "p0"), 4);
        TransportException e = assertThrows(TransportException.class, () -> new GrpcTransport().connect(
                new ClusterSpec(1, b, Duration.ofSeconds(3), Pki.security(dir, "other", "stranger")), hello(1)));
        assertTrue(e.getMessage().contains("never answered"), e.getMessage());
        awaitLog("closed a connection from /127.0.0.1");
        Throwable m = member.get(20, TimeUnit.SECONDS);
        assertTrue(m instanceof TransportException && m.getMessage().contains("never answered"), String.valueOf(m));
    }

    /** Copies what is written to the log buffer and on to the real stderr. */
    private static final class TeeStream extends OutputStream {
        private final ByteArrayOutputStream copy;
        private final OutputStream next;

        TeeStream(ByteArrayOutputStream copy, OutputStream next) {
            this.copy = copy;
            this.next = next;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (copy) {
                copy.write(b);
            }
            next.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            next.write(b, off, len);
        }
    }
}
