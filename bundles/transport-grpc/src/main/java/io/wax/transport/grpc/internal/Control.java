package io.wax.transport.grpc.internal;

import io.wax.spi.transport.Hello;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake's control messages and the shared-secret proofs. The caller opens with a nonce;
 * the callee answers with its own nonce and an HMAC over both (proving it knows the secret); the
 * caller checks that, then sends its hello with an HMAC over both nonces and the hello; the callee
 * checks that before it even reads the hello, and answers with its own hello or a rejection. The
 * secret itself never crosses the wire, and a stranger's hello is never compared with anything.
 *
 * <pre>
 * OPEN           "WAXLINK" transport-protocol nonce[32] caller-process
 * OTHER_PROTOCOL transport-protocol     (the callee's answer to an OPEN of another protocol, instead of CHALLENGE)
 * CHALLENGE      nonce[32] proof        (proof = HMAC-SHA256(secret, "callee" nonceC nonceS), empty without a secret)
 * HELLO          hello proof            (proof = HMAC-SHA256(secret, "caller" nonceC nonceS hello))
 * REJECT         reason
 * </pre>
 *
 * <p>A heartbeat call ({@link Heartbeat}) starts the same way, then carries beats:
 *
 * <pre>
 * OPEN, then OTHER_PROTOCOL or CHALLENGE   as above
 * HELLO          beat proof             (the caller's first beat; proof = HMAC-SHA256(secret, "beat" nonceC nonceS beat))
 * BEAT           process generation     (each later beat, and every echo)
 * </pre>
 *
 * <p>OPEN and OTHER_PROTOCOL keep this layout in every version of the transport, whatever else a
 * later protocol changes: so an old and a new build can always read each other's protocol number,
 * and both fail naming it, instead of misreading each other's messages. The first builds of
 * protocol 1 sent no process id after the nonce (and ignore it): such a caller is named by its address.
 */
final class Control {
    /**
     * The transport's own wire version, checked before anything else. 2: the heartbeat's calls
     * prove the secret (protocol 1's beats proved nothing).
     */
    static final int PROTOCOL = 2;
    private static final String MAGIC = "WAXLINK";
    static final int NONCE = 32;
    /** No handshake message is anywhere near this; a stranger's huge message is refused unread. */
    static final int MAX_CONTROL = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Control() {
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE];
        RANDOM.nextBytes(n);
        return n;
    }

    static Packet open(int protocol, byte[] nonce, int process) {
        return packet(Packet.OPEN, out -> {
            out.writeUTF(MAGIC);
            out.writeInt(protocol);
            out.write(nonce);
            out.writeInt(process);
        });
    }

    /** An OPEN: the caller's protocol, its nonce, and its process id (-1 if it did not say). */
    record Open(int protocol, byte[] nonce, int process) {
    }

    /**
     * Reads an OPEN of any protocol (the caller checks the protocol before it uses the nonce);
     * throws for anything that is not a Wax link.
     */
    static Open readOpen(byte[] body) throws IOException {
        DataInputStream in = in(body);
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a Wax cluster link");
        }
        int protocol = in.readInt();
        byte[] nonce = in.readNBytes(NONCE);
        int process = in.available() >= 4 ? in.readInt() : -1;
        return new Open(protocol, nonce, process);
    }

    static Packet otherProtocol(int protocol) {
        return packet(Packet.OTHER_PROTOCOL, out -> out.writeInt(protocol));
    }

    static int readOtherProtocol(byte[] body) throws IOException {
        return in(body).readInt();
    }

    /**
     * The one paragraph both sides of a protocol mismatch fail with, each naming the other:
     * {@code them} ("process 1 (h2:2101)") speaks {@code theirs}, process {@code me} speaks {@code ours}. It
     * names both processes by id, since a peer may quote it inside its own error.
     */
    static String otherProtocol(String them, int theirs, int me, int ours) {
        return them + " speaks transport protocol " + theirs + " and process " + me + " (this process) speaks transport protocol "
                + ours + ": they run builds of the gRPC transport (bundle io.wax.transport.grpc) that cannot talk to each other;"
                + " update io.wax.transport.grpc in every process to the same build, then start them again";
    }

    static Packet challenge(byte[] nonceS, byte[] proof) {
        return packet(Packet.CHALLENGE, out -> {
            out.write(nonceS);
            bytes(out, proof);
        });
    }

    record Challenge(byte[] nonce, byte[] proof) {
    }

    static Challenge readChallenge(byte[] body) throws IOException {
        DataInputStream in = in(body);
        byte[] nonce = in.readNBytes(NONCE);
        if (nonce.length != NONCE) {
            throw new IOException("a short nonce");
        }
        return new Challenge(nonce, bytes(in));
    }

    static Packet hello(byte[] hello, byte[] proof) {
        return packet(Packet.HELLO, out -> {
            bytes(out, hello);
            bytes(out, proof);
        });
    }

    record Signed(byte[] hello, byte[] proof) {
    }

    static Signed readSigned(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Signed(bytes(in), bytes(in));
    }

    static Packet reject(String reason) {
        return packet(Packet.REJECT, out -> out.writeUTF(reason.length() > 4000 ? reason.substring(0, 4000) : reason));
    }

    static String readReject(byte[] body) throws IOException {
        return in(body).readUTF();
    }

    static byte[] encode(Hello h) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(h.protocol());
            out.writeInt(h.processId());
            out.writeInt(h.processCount());
            out.writeInt(h.workersPerProcess());
            out.writeUTF(h.flow());
            out.writeUTF(h.flowVersion());
            out.writeLong(h.fingerprint());
            out.writeLong(h.generation());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    static Hello decode(byte[] body) throws IOException {
        DataInputStream in = in(body);
        return new Hello(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readUTF(), in.readUTF(),
                in.readLong(), in.readLong());
    }

    /** The callee's proof, or an empty array without a secret. */
    static byte[] calleeProof(String secret, byte[] nonceC, byte[] nonceS) {
        return secret == null ? new byte[0] : hmac(secret, "callee", nonceC, nonceS, new byte[0]);
    }

    static byte[] callerProof(String secret, byte[] nonceC, byte[] nonceS, byte[] hello) {
        return secret == null ? new byte[0] : hmac(secret, "caller", nonceC, nonceS, hello);
    }

    /**
     * The caller's proof on a heartbeat call, over both nonces and its first beat: another role
     * than a hello's, so that neither proof can stand for the other.
     */
    static byte[] beatProof(String secret, byte[] nonceC, byte[] nonceS, byte[] beat) {
        return secret == null ? new byte[0] : hmac(secret, "beat", nonceC, nonceS, beat);
    }

    /** Constant-time, so that timing tells a stranger nothing about the secret. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] hmac(String secret, String role, byte[] a, byte[] b, byte[] c) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(role.getBytes(StandardCharsets.US_ASCII));
            mac.update(a);
            mac.update(b);
            mac.update(c);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17", e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static Packet packet(byte tag, Writer w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            w.write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Packet(tag, b.toByteArray());
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeShort(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("a truncated field");
        }
        return b;
    }

    private static DataInputStream in(byte[] body) {
        return new DataInputStream(new ByteArrayInputStream(body));
    }
}
