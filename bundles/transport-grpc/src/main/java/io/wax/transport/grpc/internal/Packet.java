package io.wax.transport.grpc.internal;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One message on a link's stream: a tag byte, then a body. Data packets carry the engine's frames
 * as they are (no protobuf object and no extra copy per frame: the marshaller streams the tag and
 * the array into gRPC's buffer, and reads them back into one new array); the other tags are the
 * handshake's control messages (see {@link Control}).
 */
record Packet(byte tag, byte[] body) {
    static final byte DATA = 0;
    static final byte OPEN = 1;
    static final byte CHALLENGE = 2;
    static final byte HELLO = 3;
    static final byte REJECT = 4;
    /** The sender's run has completed: sent last, before its half-close. */
    static final byte FINISHED = 5;
    /** A heartbeat, on its own method and channel (see {@link Heartbeat}). */
    static final byte BEAT = 6;
    /** The callee speaks another transport protocol (see {@link Control}): the same tag in every version. */
    static final byte OTHER_PROTOCOL = 7;
    /** What a packet adds to its body in a gRPC message: the tag byte and gRPC's 5-byte length prefix. */
    static final int OVERHEAD = 1 + 5;

    /** The one method of the service: a bidirectional stream of packets from the caller to the callee. */
    static final MethodDescriptor<Packet, Packet> LINK = MethodDescriptor.<Packet, Packet>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("wax.Cluster", "Link"))
            .setRequestMarshaller(new Marshaller())
            .setResponseMarshaller(new Marshaller())
            .build();

    /** The marshaller of every method of the service. */
    static MethodDescriptor.Marshaller<Packet> marshaller() {
        return new Marshaller();
    }

    private static final class Marshaller implements MethodDescriptor.Marshaller<Packet> {
        @Override
        public InputStream stream(Packet p) {
            return new Out(p);
        }

        @Override
        public Packet parse(InputStream in) {
            try {
                int tag = in.read();
                if (tag < 0) {
                    throw new IllegalArgumentException("an empty message");
                }
                // gRPC hands a KnownLength stream over one message, so available() is its size.
                byte[] body = in.readNBytes(in.available());
                if (in.read() >= 0) {
                    throw new IllegalArgumentException("a message longer than announced");
                }
                return new Packet((byte) tag, body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The tag and the body, written straight into gRPC's buffers. */
    private static final class Out extends InputStream implements Drainable, KnownLength {
        private final Packet p;
        private int pos = -1; // -1: the tag is next

        Out(Packet p) {
            this.p = p;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = available();
            if (pos < 0) {
                target.write(p.tag);
                pos = 0;
            }
            target.write(p.body, pos, p.body.length - pos);
            pos = p.body.length;
            return n;
        }

        @Override
        public int available() {
            return pos < 0 ? p.body.length + 1 : p.body.length - pos;
        }

        @Override
        public int read() {
            if (pos < 0) {
                pos = 0;
                return p.tag & 0xff;
            }
            return pos < p.body.length ? p.body[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos < 0) {
                b[off] = p.tag;
                pos = 0;
                return 1;
            }
            int n = Math.min(len, p.body.length - pos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(p.body, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
